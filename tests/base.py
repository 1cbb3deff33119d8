"""A reusable test suite for one REST endpoint of the API (``/api/v1/<resource>/``).

Subclass :class:`APICRUDSuite` (or :class:`APIReadOnlySuite`) in a ``Test*`` class and say how to
make the objects and payloads; every subclass gets the same tests: scoped list and detail (an
object outside scope answers 404), create/update/delete through the services with an audit row,
field-level 400s that write nothing, authentication required, and a list whose query count does
not grow with its rows::

    class TestEnterprisesAPI(APICRUDSuite):
        basename = "enterprise"
        user = "secretary_delivery"
        bad_fields = ("uscc", "industry")

        def make_visible(self, world):
            return f.EnterpriseFactory(industry=world.delivery, region=world.district_a)
        ...

Hooks receive the ``world`` fixture (tests/conftest.py). Payloads are JSON-ready dicts.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from core.choices import AuditAction
from core.models import AuditEvent

ERROR_KEYS = {"code", "message", "fields", "request_id"}


def assert_error_format(response, status: int | tuple[int, ...], code: str | None = None):
    """The response is an API error in the one format, with this status (and code)."""
    statuses = (status,) if isinstance(status, int) else status
    assert response.status_code in statuses, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert body["request_id"]
    if code is not None:
        assert body["code"] == code, body
    return body


def api_client(user=None) -> APIClient:
    client = APIClient()
    client.default_format = "json"
    if user is not None:
        client.force_authenticate(user=user)
    return client


def wait_for_job(job, timeout: float = 60):
    """Refresh ``job`` (a ``JobRun``) until it has finished, at most ``timeout`` seconds (a real
    worker runs it in another thread); return it."""
    import time

    from core.choices import JobStatus

    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED) or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


def ids_of(response) -> set[int]:
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return {row["id"] for row in response.json()["results"]}


class APIReadSuite:
    """The reading half shared by both suites: scoped list and detail, authentication and a
    list whose query count does not grow with its rows."""

    #: Router basename: the routes are ``<basename>-list`` and ``<basename>-detail``.
    basename: ClassVar[str]
    #: Name of the acting user in the world fixture.
    user: ClassVar[str] = "staff"
    #: The model attribute in detail URLs (``pk``, or e.g. ``code``).
    lookup_field: ClassVar[str] = "pk"
    #: Whether the endpoint takes writes (set by the two suites below).
    read_only: ClassVar[bool]

    # --- hooks -------------------------------------------------------------------------------

    def make_visible(self, world) -> Model:
        """A new object the user can see."""
        raise NotImplementedError

    def make_invisible(self, world) -> Model | None:
        """A new object outside the user's scope, or ``None`` when everything is visible."""
        return None

    def create_payload(self, world) -> dict[str, Any]:
        return {}

    # --- helpers -----------------------------------------------------------------------------

    @property
    def list_url(self) -> str:
        return reverse(f"{self.basename}-list")

    def detail_url(self, obj: Model) -> str:
        return reverse(f"{self.basename}-detail", args=[getattr(obj, self.lookup_field)])

    def client_for(self, world) -> APIClient:
        return api_client(getattr(world, self.user))

    def model_of(self, obj: Model) -> type[Model]:
        return type(obj)

    def list_ids(self, client, **params) -> set[int]:
        return ids_of(client.get(self.list_url, {"page_size": 1000, **params}))

    # --- tests -------------------------------------------------------------------------------

    def test_list_shows_visible_and_hides_invisible(self, world):
        visible = self.make_visible(world)
        invisible = self.make_invisible(world)
        ids = self.list_ids(self.client_for(world))
        assert visible.pk in ids
        if invisible is not None:
            assert invisible.pk not in ids

    def test_detail_of_visible(self, world):
        visible = self.make_visible(world)
        response = self.client_for(world).get(self.detail_url(visible))
        assert response.status_code == 200, response.content[:500]
        assert response.json()["id"] == visible.pk

    def test_detail_of_invisible_is_404(self, world):
        invisible = self.make_invisible(world)
        if invisible is None:
            pytest.skip("every object of this endpoint is visible to the user")
        response = self.client_for(world).get(self.detail_url(invisible))
        assert_error_format(response, 404, "not_found")

    def test_unauthenticated_is_refused(self, world):
        self.make_visible(world)
        response = api_client().get(self.list_url)
        assert_error_format(response, (401, 403))

    def test_list_query_count_does_not_grow_with_rows(self, world):
        client = self.client_for(world)
        for _ in range(2):
            self.make_visible(world)
        # Warm the per-user caches (permissions, scope grants) and content types first.
        client.get(self.list_url, {"page_size": 1000})
        with CaptureQueriesContext(connection) as few:
            few_ids = self.list_ids(client)
        for _ in range(8):
            self.make_visible(world)
        with CaptureQueriesContext(connection) as many:
            many_ids = self.list_ids(client)
        assert len(many_ids) >= len(few_ids) + 8
        assert len(many.captured_queries) == len(few.captured_queries), [
            q["sql"] for q in many.captured_queries
        ]


class APIReadOnlySuite(APIReadSuite):
    """A read-only endpoint: everything :class:`APIReadSuite` checks, and writes are refused."""

    read_only: ClassVar[bool] = True

    def test_writes_are_refused(self, world):
        visible = self.make_visible(world)
        model = self.model_of(visible)
        before = model._default_manager.count()
        client = self.client_for(world)
        assert_error_format(client.post(self.list_url, self.create_payload(world)), (403, 405))
        assert_error_format(client.delete(self.detail_url(visible)), (403, 405))
        assert model._default_manager.count() == before


class APICRUDSuite(APIReadSuite):
    """A writable endpoint: everything :class:`APIReadSuite` checks, plus create, update and
    delete through the services (each audited), field-level 400s that write nothing, and
    objects outside scope that cannot be changed."""

    read_only: ClassVar[bool] = False
    #: Fields expected in the error's ``fields`` for :meth:`bad_payload`.
    bad_fields: ClassVar[tuple[str, ...]] = ()
    #: 204, or 400 when the object made by :meth:`make_deletable` is protected.
    delete_status: ClassVar[int] = 204
    #: False for an endpoint that creates and deletes but never edits (a PATCH answers 405).
    updatable: ClassVar[bool] = True

    # --- hooks -------------------------------------------------------------------------------

    def create_payload(self, world) -> dict[str, Any]:
        raise NotImplementedError

    def update_payload(self, world) -> dict[str, Any]:
        """Sent as a PATCH to an object made by :meth:`make_visible` (not called when the
        endpoint is not :attr:`updatable`)."""
        raise NotImplementedError

    def bad_payload(self, world) -> dict[str, Any]:
        """A create payload with an error in each of :attr:`bad_fields`."""
        raise NotImplementedError

    def make_deletable(self, world) -> Model:
        return self.make_visible(world)

    # --- helpers -----------------------------------------------------------------------------

    def audit_events(self, model: type[Model], pk, action: str):
        return AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=str(pk),
            action=action,
        )

    # --- tests -------------------------------------------------------------------------------

    def test_create(self, world):
        model = self.model_of(self.make_visible(world))
        before = model._default_manager.count()
        user = getattr(world, self.user)
        response = self.client_for(world).post(self.list_url, self.create_payload(world))
        assert response.status_code == 201, response.content[:1000]
        pk = response.json()["id"]
        assert model._default_manager.count() == before + 1
        assert model._default_manager.filter(pk=pk).exists()
        event = self.audit_events(model, pk, AuditAction.CREATE).get()
        assert event.actor == user
        # The new object is visible to its creator.
        assert pk in self.list_ids(self.client_for(world))

    def test_update(self, world):
        obj = self.make_visible(world)
        if not self.updatable:
            events = AuditEvent.objects.count()
            response = self.client_for(world).patch(self.detail_url(obj), {})
            assert_error_format(response, 405)
            assert AuditEvent.objects.count() == events
            return
        payload = self.update_payload(world)
        response = self.client_for(world).patch(self.detail_url(obj), payload)
        assert response.status_code == 200, response.content[:1000]
        body = response.json()
        for name, value in payload.items():
            assert body[name] == value, (name, body[name], value)
        event = self.audit_events(type(obj), obj.pk, AuditAction.UPDATE).get()
        assert set(payload) <= set(event.changes)
        assert event.actor == getattr(world, self.user)

    def test_delete(self, world):
        obj = self.make_deletable(world)
        model = type(obj)
        response = self.client_for(world).delete(self.detail_url(obj))
        if self.delete_status == 204:
            assert response.status_code == 204, response.content[:1000]
            assert not model._default_manager.filter(pk=obj.pk).exists()
            assert self.audit_events(model, obj.pk, AuditAction.DELETE).exists()
        else:
            assert_error_format(response, self.delete_status)
            assert model._default_manager.filter(pk=obj.pk).exists()
            assert not self.audit_events(model, obj.pk, AuditAction.DELETE).exists()

    def test_bad_input_is_refused_field_by_field_and_writes_nothing(self, world):
        model = self.model_of(self.make_visible(world))
        before = model._default_manager.count()
        events = AuditEvent.objects.count()
        response = self.client_for(world).post(self.list_url, self.bad_payload(world))
        body = assert_error_format(response, 400, "invalid")
        for name in self.bad_fields:
            assert name in body["fields"], (name, body["fields"])
            assert body["fields"][name], body["fields"]
        assert model._default_manager.count() == before
        assert AuditEvent.objects.count() == events

    def test_invisible_cannot_be_changed_or_deleted(self, world):
        invisible = self.make_invisible(world)
        if invisible is None:
            pytest.skip("every object of this endpoint is visible to the user")
        client = self.client_for(world)
        if self.updatable:
            assert_error_format(client.patch(self.detail_url(invisible), {}), 404, "not_found")
        assert_error_format(client.delete(self.detail_url(invisible)), 404, "not_found")
        assert type(invisible)._default_manager.filter(pk=invisible.pk).exists()

    def test_an_out_of_scope_reference_answers_like_an_unknown_one(self, world):
        """Every writable reference of the create serializer (by id or by code): a target
        outside the user's scope gets the very field error of one that does not exist, and
        nothing is written (issue 20)."""
        from types import SimpleNamespace

        from django.urls import resolve
        from rest_framework.relations import ManyRelatedField, RelatedField

        from organizations import scoping

        model = self.model_of(self.make_visible(world))
        user = getattr(world, self.user)
        view = resolve(self.list_url).func.cls
        request = SimpleNamespace(user=user, method="POST", query_params={}, data={})
        serializer = view.serializer_class(context={"request": request, "view": None})
        client = self.client_for(world)
        tried = []
        for name, field in serializer.fields.items():
            relation = field.child_relation if isinstance(field, ManyRelatedField) else field
            if field.read_only or not isinstance(relation, RelatedField):
                continue
            target_model = relation.queryset.model
            if scoping.rule_for(target_model) is None:
                continue
            seen = scoping.visible(target_model, user).values("pk")
            target = target_model._default_manager.exclude(pk__in=seen).order_by("pk").first()
            if target is None:
                continue
            slug = getattr(relation, "slug_field", None)
            value = getattr(target, slug) if slug else target.pk
            missing = "no-such-reference-zz" if slug else 987_654_321
            if isinstance(field, ManyRelatedField):
                value, missing = [value], [missing]
            before = model._default_manager.count()
            foreign = client.post(self.list_url, {**self.create_payload(world), name: value})
            unknown = client.post(self.list_url, {**self.create_payload(world), name: missing})
            got = assert_error_format(foreign, 400)["fields"].get(name)
            want = assert_error_format(unknown, 400)["fields"].get(name)
            assert want, (name, unknown.json())
            blank = str(value[0] if isinstance(value, list) else value)
            unknown_blank = str(missing[0] if isinstance(missing, list) else missing)
            assert [str(m).replace(blank, "<v>") for m in got or []] == [
                str(m).replace(unknown_blank, "<v>") for m in want
            ], (name, got, want)
            assert model._default_manager.count() == before
            tried.append(name)
        if not tried:
            pytest.skip("no reference outside the user's scope to try here")


class FilterSetSuite:
    """One test per filter of a FilterSet (NetBox's pattern), configured per model::

        class TestLecturerFilterSet(FilterSetSuite):
            filterset = LecturerFilterSet

            def make(self, world):
                return {"a": make_lecturer(world, kind="party_school"), "b": make_lecturer(world)}

            cases = {"kind": ({"kind": "party_school"}, {"a"})}

    :meth:`make` returns named objects; each entry of :attr:`cases` names a filter, the query
    parameters that exercise it (or a function of the world and the objects returning them,
    for ids) and the names of the objects it keeps. Every filter of the
    FilterSet must have a case, and every case must keep some but not all of the objects, so
    that no test passes by filtering nothing (or everything) away.
    """

    filterset: ClassVar[type]
    cases: ClassVar[dict[str, tuple[dict[str, Any], set[str]]]]
    #: Name of the acting user in the world fixture (model-choice filters accept only what
    #: this user can see).
    user: ClassVar[str] = "staff"

    def make(self, world) -> dict[str, Model]:
        raise NotImplementedError

    def pytest_generate_tests(self, metafunc):
        if "filter_name" in metafunc.fixturenames:
            metafunc.parametrize("filter_name", sorted(self.cases))

    def test_every_filter_has_a_case(self):
        assert set(self.filterset.base_filters) == set(self.cases)

    def test_filter(self, world, filter_name):
        from types import SimpleNamespace

        objects = self.make(world)
        params, expected = self.cases[filter_name]
        if callable(params):
            params = params(world, objects)
        assert expected and expected < set(objects), "a case must keep some, not all"
        model = self.filterset._meta.model
        queryset = model._default_manager.filter(pk__in=[o.pk for o in objects.values()])
        request = SimpleNamespace(user=getattr(world, self.user))
        filterset = self.filterset(params, queryset=queryset, request=request)
        assert filterset.is_valid(), filterset.errors
        kept = set(filterset.qs.values_list("pk", flat=True))
        assert kept == {objects[name].pk for name in expected}, (filter_name, params)


def stored_files(root) -> list:
    """The files under ``root`` (a storage's folder), none when it does not exist yet."""
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def jpeg_with_gps(name: str = "p.jpg", size=(64, 48)):
    """An uploaded JPEG that carries a camera make and a GPS position in its EXIF (checked
    here), to prove an upload path strips them."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 46.0, 0.0)}  # GPS latitude
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    with Image.open(BytesIO(buffer.getvalue())) as sent:
        assert sent.getexif().get_ifd(0x8825)  # the file sent does carry a GPS position
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def race(n_threads: int, target, *, join_timeout: float = 60) -> list:
    """Run ``target(k)`` for k in 0..n-1 on ``n_threads`` threads released at once (each with
    its own database connection): the outcomes, as ("ok", value), ("refused", message_dict)
    for a ValidationError, or ("error", repr) for anything else."""
    barrier = threading.Barrier(n_threads)
    outcomes: list = []

    def run(k: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(("ok", target(k)))
        except ValidationError as exc:
            outcomes.append(("refused", exc.message_dict))
        except Exception as exc:  # reported by the caller's assertions
            outcomes.append(("error", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=join_timeout)
    return outcomes
