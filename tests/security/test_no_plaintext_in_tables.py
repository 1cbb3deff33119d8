"""No plaintext in any table (issue 13, deliverable 6): after a resident ID and a phone came in
by every door (the bulk roster push with an Idempotency-Key, a partner's appeal, the public
appeal form, a portal roster import with bad rows, an identity change through the service),
every table with a protected value and every table that may hold a copy (job reports,
idempotency records, sessions, audit changes, appeal events) is read raw and holds none of
the plaintext values, accepted or rejected."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from appeals.models import Appeal
from core import pii
from core.models import AuditEvent, IdempotencyRecord, JobRun
from members.models import Worker
from members.services import people as people_services
from members.services.intake import WORKER_COLUMNS
from tests import factories as f
from tests.appeals.conftest import catalogues  # noqa: F401  (the appeal categories)
from tests.base import api_client
from tests.members.test_intake import worker_row

from .raw_tables import COPY_MODELS, leaks, protected_models, read_raw, tables_to_read

pytestmark = pytest.mark.django_db


def _bad_check_digit(resident_id: str) -> str:
    return resident_id[:-1] + ("0" if resident_id[-1] != "0" else "1")


def _forms(values: list[str]) -> list[str]:
    """A value as sent and as normalized (an ID upper and lower case, a phone's digits)."""
    out = set()
    for value in values:
        out |= {value, value.upper(), value.lower()}
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) == 11:
            out.add(pii.normalize_phone(value))
    return sorted(out)


class Scenario:
    """One resident ID and phone per door, and the ones of rejected rows."""

    def __init__(self, world):
        self.world = world
        self.plaintext: list[str] = []
        self.bulk_push()
        self.partner_appeal()
        self.public_appeal()
        self.portal_import()
        self.identity_change()

    def _note(self, *values: str) -> None:
        self.plaintext += values

    def bulk_push(self):
        good = worker_row(7301)
        bad_id = worker_row(7302, id_number=_bad_check_digit(f.resident_id_for(7302)))
        rejected = worker_row(7303, industry="no-such-industry")  # valid ID and phone
        self._note(*(r[k] for r in (good, bad_id, rejected) for k in ("id_number", "phone")))
        response = api_client(self.world.staff).post(
            "/api/v1/workers/bulk/",
            {"source": "meituan", "rows": [good, bad_id, rejected]},
            format="json",
            HTTP_IDEMPOTENCY_KEY="no-plaintext-push-1",
        )
        assert response.status_code == 200, response.content
        assert response.json()["created"] == 1 and response.json()["rejected"] == 2

    def partner_appeal(self):
        phone = "13912347301"
        self._note(phone)
        response = api_client(self.world.partner).post(
            reverse("appeal-list"),
            {
                "category": "wages",
                "channel": "app",
                "description": "本月配送费少结算300元。",
                "contact_name": "王师傅",
                "contact_phone": phone,
                "region": self.world.street_a.code,
                "industry": "food_delivery",
                "enterprise": self.world.ent_delivery_a.pk,
                "external_id": "MT-NP-1",
            },
            HTTP_IDEMPOTENCY_KEY="no-plaintext-appeal-1",
        )
        assert response.status_code == 201, response.content

    def public_appeal(self):
        phone = "13712347302"
        self._note(phone)
        self.public = Client()
        response = self.public.post(
            "/appeals/public/",
            {
                "category": "wages",
                "description": "平台连续两个月克扣配送费，申诉无果。",
                "location": "雕庄街道某商圈",
                "region": self.world.street_a.code,
                "platform": str(self.world.platform.pk),
                "contact_name": "王师傅",
                "contact_phone": phone,
                "consent": "on",
                "website": "",
            },
        )
        assert response.status_code == 302, response.content[:500]

    def portal_import(self):
        def line(n, resident_id=None, industry="food_delivery"):
            resident_id = resident_id or f.resident_id_for(n)
            return f"MT-{n},张三,{resident_id},{f.phone_for(n)},{industry},,320402,masses,,"

        def csv(*lines):
            text = ",".join(WORKER_COLUMNS) + "\n" + "\n".join(lines) + "\n"
            return SimpleUploadedFile("roster.csv", text.encode("utf-8-sig"))

        bad_id = _bad_check_digit(f.resident_id_for(7312))
        self._note(
            f.resident_id_for(7311),
            f.phone_for(7311),
            bad_id,
            f.phone_for(7312),
            f.resident_id_for(7313),
            f.phone_for(7313),
            f.resident_id_for(7314),
            f.phone_for(7314),
        )
        self.staff = Client()
        self.staff.force_login(self.world.staff)
        form = {"kind": "workers", "source": "meituan", "source_kind": "import"}
        file = csv(line(7311), line(7312, resident_id=bad_id), line(7313, industry="nope"))
        preview = self.staff.post("/members/import/", {**form, "file": file})
        assert preview.status_code == 200 and preview.context["errors"]
        done = self.staff.post("/members/import/", {"confirm": preview.context["token"]})
        assert done.context["stage"] == "done"
        # A second file waits in the session, previewed and not confirmed.
        pending = self.staff.post("/members/import/", {**form, "file": csv(line(7314))})
        assert pending.context["token"]

    def identity_change(self):
        worker = Worker.objects.get(external_id="MT-07301")
        new_id, new_phone = f.resident_id_for(7321), f.phone_for(7321)
        self._note(new_id, new_phone)
        people_services.worker_update(
            actor=self.world.staff, worker=worker, data={"id_number": new_id, "phone": new_phone}
        )


def test_the_walk_reads_every_protected_table_and_every_copy(world):
    tables = set(tables_to_read())
    for model in protected_models():
        assert model._meta.db_table in tables
    labels = {m._meta.label for m in protected_models()}
    assert {"members.Worker", "members.PartyMember", "members.MemberClaim"} <= labels
    assert "appeals.Appeal" in labels
    for model in COPY_MODELS:
        assert model._meta.db_table in tables


def test_no_table_holds_a_plaintext_id_or_phone(world):
    scenario = Scenario(world)
    # Every door wrote: the copies exist, so their emptiness of plaintext is not vacuous.
    assert Worker.objects.filter(external_id__in=["MT-07301", "MT-7311"]).count() == 2
    assert Appeal.objects.count() == 2
    assert JobRun.objects.filter(kind="members.roster_upsert").count() >= 2
    assert IdempotencyRecord.objects.count() == 2
    assert Session.objects.count() >= 2
    assert AuditEvent.objects.filter(action="update", object_id__isnull=False).exists()
    texts = read_raw()
    assert all(texts[m._meta.db_table] for m in (Worker, Appeal, JobRun, IdempotencyRecord))
    values = _forms(scenario.plaintext)
    assert len(set(scenario.plaintext)) == 18
    found = leaks(texts, values)
    assert not found, "plaintext in the database:\n" + "\n".join(found)
