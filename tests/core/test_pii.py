"""Protected personal data (DESIGN.md §5): encrypted at rest, found through a keyed blind index,
shown masked, revealed only with the permission and a reason, every reveal and export logged."""

import base64
import datetime as dt
import hashlib
import hmac

import pytest
from cryptography.fernet import InvalidToken
from django.apps.registry import Apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core import audit, pii
from core.choices import PIIAction
from core.context import request_context
from core.identity import ric_check_char
from core.models import PIIAccessLog
from core.pii import ProtectedField, ProtectedModelMixin, blind_index_field, unique_protected

from .. import factories as f

ID_18 = "320402199003071234"
ID_X = "32040219900307123X"

# Models of their own registry: usable without polluting the core app or needing migrations.
test_apps = Apps(["core"])


class Person(ProtectedModelMixin, models.Model):
    name = models.CharField(max_length=20, blank=True)
    id_number = ProtectedField(kind="resident_id", index_field="id_number_index", blank=True)
    id_number_index = blind_index_field()
    phone = ProtectedField(kind="phone", index_field="phone_index", blank=True)
    phone_index = blind_index_field()

    class Meta:
        app_label = "core"
        apps = test_apps
        db_table = "test_pii_person"
        constraints = [unique_protected("id_number_index", name="test_pii_person_id_unique")]

    def __str__(self) -> str:
        return self.name


@pytest.fixture(autouse=True)
def _fresh_caches():
    pii.reset_key_cache()
    yield
    pii.reset_key_cache()
    # Person's content type row is created inside a test and rolled back with it.
    ContentType.objects.clear_cache()


# --- strategies ----------------------------------------------------------------------------

birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31))


@st.composite
def legacy_and_current_ids(draw):
    """A 15-digit legacy resident id and its 18-digit form."""
    region = draw(st.sampled_from(["320402", "110101", "440305", "810000"]))
    birth = draw(birth_dates)
    seq = draw(st.integers(min_value=0, max_value=999))
    legacy = f"{region}{birth:%y%m%d}{seq:03d}"
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return legacy, body + ric_check_char(body)


mobiles = st.from_regex(r"\A1[3-9][0-9]{9}\Z")


@st.composite
def spelled_mobiles(draw):
    """A mobile number and one way a person may type it."""
    number = draw(mobiles)
    sep = draw(st.sampled_from(["", " ", "-"]))
    prefix = draw(st.sampled_from(["", "+86 ", "+86", "86", "0086 ", "(+86) "]))
    spelled = f"{prefix}{number[:3]}{sep}{number[3:7]}{sep}{number[7:]}"
    pad = draw(st.sampled_from(["", " ", "\t"]))
    return number, pad + spelled + pad


# --- encryption ----------------------------------------------------------------------------


@given(st.text())
def test_encrypt_decrypt_roundtrip(value):
    assert pii.decrypt(pii.encrypt(value)) == value


def test_tokens_differ_each_time_and_hold_no_plaintext():
    first, second = pii.encrypt(ID_18), pii.encrypt(ID_18)
    assert first != second
    assert ID_18 not in first and ID_18 not in second
    assert pii.decrypt(first) == pii.decrypt(second) == ID_18


def test_empty_stays_empty():
    assert pii.encrypt("") == ""
    assert pii.decrypt("") == ""
    assert pii.blind_index("", kind="resident_id") == ""
    assert pii.blind_index("  ", kind="phone") == ""


# --- blind index ---------------------------------------------------------------------------


def test_blind_index_is_stable_hex_sha256():
    index = pii.blind_index(ID_18, kind="resident_id")
    assert index == pii.blind_index(ID_18, kind="resident_id")
    assert len(index) == 64 and int(index, 16) >= 0
    assert ID_18 not in index


def test_blind_index_separates_kinds():
    assert pii.blind_index("13812345678", kind="phone") != pii.blind_index(
        "13812345678", kind="resident_id"
    )


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        pii.blind_index("x", kind="email")
    with pytest.raises(ValueError):
        ProtectedField(kind="email")


@given(legacy_and_current_ids())
def test_legacy_15_digit_id_has_the_index_of_its_18_digit_form(ids):
    legacy, current = ids
    assert pii.blind_index(legacy, kind="resident_id") == pii.blind_index(
        current, kind="resident_id"
    )


@given(legacy_and_current_ids(), st.sampled_from(["", " ", "\n"]))
def test_resident_id_index_ignores_case_and_padding(ids, pad):
    current = ids[1]
    spelled = pad + current.lower() + pad
    assert pii.blind_index(spelled, kind="resident_id") == pii.blind_index(
        current, kind="resident_id"
    )


def test_resident_id_x_check_digit_in_either_case():
    assert pii.blind_index(ID_X.lower(), kind="resident_id") == pii.blind_index(
        ID_X, kind="resident_id"
    )


@given(spelled_mobiles())
def test_phone_index_ignores_spelling_and_country_code(case):
    number, spelled = case
    assert pii.blind_index(spelled, kind="phone") == pii.blind_index(number, kind="phone")


def test_phone_example_from_the_issue():
    assert pii.blind_index("+86 138-1234-5678", kind="phone") == pii.blind_index(
        "13812345678", kind="phone"
    )


def test_short_numbers_starting_with_86_keep_their_digits():
    assert pii.normalize_phone("86881234") == "86881234"


# --- keys ----------------------------------------------------------------------------------


def test_encryption_and_index_keys_are_independent_and_not_the_raw_key(settings):
    keys = pii._derive_keys(settings.PORTAL_PII_KEY)
    raw = settings.PORTAL_PII_KEY.encode()
    assert keys.index_key != base64.urlsafe_b64decode(keys.fernet_key)
    assert raw not in (keys.index_key, keys.fernet_key)
    raw_hmac = hmac.new(raw, b"phone:13812345678", hashlib.sha256).hexdigest()
    assert pii.blind_index("13812345678", kind="phone") != raw_hmac


def test_changing_the_key_changes_indexes_and_locks_old_tokens(settings):
    token = pii.encrypt(ID_18)
    index = pii.blind_index(ID_18, kind="resident_id")
    settings.PORTAL_PII_KEY = "another-key-for-tests-0123456789abcdef"
    assert pii.blind_index(ID_18, kind="resident_id") != index
    with pytest.raises(InvalidToken):
        pii.decrypt(token)
    assert pii.decrypt(pii.encrypt(ID_18)) == ID_18


def test_a_missing_key_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.PORTAL_PII_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        pii.encrypt(ID_18)


# --- masks ---------------------------------------------------------------------------------


def test_masks():
    assert pii.mask_resident_id(ID_18) == "3204**********1234"
    assert pii.mask_resident_id(ID_X.lower()) == "3204**********123X"
    assert pii.mask_phone("13812345678") == "138****5678"
    assert pii.mask_phone("+86 138-1234-5678") == "138****5678"
    assert pii.mask(ID_18, "resident_id") == "3204**********1234"
    assert pii.mask("13812345678", "phone") == "138****5678"
    assert pii.mask("", "phone") == ""
    assert pii.mask("1234567", "phone") == "*******"


@given(st.text(max_size=30))
def test_a_mask_never_shows_more_than_eight_characters(value):
    shown = pii.mask(value, "resident_id").replace("*", "")
    assert len(shown) <= 8


# --- the field -----------------------------------------------------------------------------


def test_field_stores_a_token_and_loads_the_plaintext():
    field = ProtectedField(kind="resident_id")
    stored = field.get_prep_value(ID_18)
    assert ID_18 not in stored
    assert field.from_db_value(stored, None, connection) == ID_18
    assert field.get_prep_value("") == ""
    assert field.get_prep_value(None) is None
    assert field.from_db_value(None, None, connection) is None


def test_field_is_protected_for_the_audit_log():
    assert audit._is_protected(Person._meta.get_field("id_number"))
    assert not audit._is_protected(Person._meta.get_field("name"))


def test_audit_snapshot_masks_protected_values():
    person = Person(name="张三", id_number=ID_18, phone="13812345678")
    snap = audit.snapshot(person)
    assert snap["id_number"] == pii.mask_resident_id(ID_18)
    assert snap["phone"] == "138****5678"
    assert snap["name"] == "张三"
    assert not any(name.endswith("_index") for name in snap)  # the HMAC stays out too
    assert ID_18 not in str(snap) and "13812345678" not in str(snap)


def test_field_deconstructs_for_migrations():
    _, path, _, kwargs = Person._meta.get_field("id_number").deconstruct()
    assert path == "core.pii.ProtectedField"
    assert kwargs["kind"] == "resident_id"
    assert kwargs["index_field"] == "id_number_index"


def test_pre_save_and_clean_fill_the_index():
    person = Person(id_number=ID_18, phone="")
    Person._meta.get_field("id_number").pre_save(person, add=True)
    assert person.id_number_index == pii.blind_index(ID_18, kind="resident_id")
    person.phone = "+86 138 1234 5678"
    person.clean_fields()
    assert person.phone_index == pii.blind_index("13812345678", kind="phone")


def test_comparing_lookups_are_refused():
    with pytest.raises(FieldError):
        Person.objects.filter(id_number=ID_18)
    with pytest.raises(FieldError):
        Person.objects.filter(phone__contains="138")
    Person.objects.filter(phone__isnull=True)  # allowed


def test_protected_lookup_filters_on_the_index():
    q = pii.protected_lookup(Person, "phone", "+86 138-1234-5678")
    assert q.children == [("phone_index", pii.blind_index("13812345678", kind="phone"))]
    with pytest.raises(ValueError):
        pii.protected_lookup(Person, "name", "张三")


def test_model_checks_pass_for_a_well_declared_model():
    assert Person.check() == []


def _check_ids(name: str, fields: dict) -> set[str]:
    meta = type("Meta", (), {"app_label": "core", "apps": Apps(["core"])})
    model = type(name, (models.Model,), {"__module__": __name__, "Meta": meta, **fields})
    return {error.id for error in model.check()}


def test_model_checks_catch_a_misdeclared_index():
    phone = lambda: ProtectedField(kind="phone", index_field="i")  # noqa: E731
    assert "core.E101" in _check_ids("NoIndex", {"v": phone()})
    assert "core.E102" in _check_ids("Short", {"v": phone(), "i": models.CharField(max_length=8)})
    required = {"v": phone(), "i": models.CharField(max_length=64)}
    assert "core.E103" in _check_ids("Required", required)
    assert "core.E104" in _check_ids("IndexFirst", {"i": blind_index_field(), "v": phone()})


# --- display, reveal, export ---------------------------------------------------------------


def _saved_person(pk=7):
    return Person(pk=pk, name="张三", id_number=ID_18, phone="13812345678")


def test_display_is_always_masked(db):
    person = _saved_person()
    admin = f.UserFactory(username="root", is_superuser=True)
    assert pii.display(person, "id_number", admin) == "3204**********1234"
    assert pii.display(person, "phone", None) == "138****5678"
    assert pii.display(Person(), "phone", admin) == ""


def _user_with_reveal(username="revealer"):
    user = f.UserFactory(username=username)
    user.user_permissions.add(Permission.objects.get(codename="reveal_pii"))
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


def test_reveal_without_permission_is_refused_and_not_logged(db):
    user = f.UserFactory(username="nobody")
    with pytest.raises(PermissionDenied):
        pii.reveal(actor=user, obj=_saved_person(), field_name="id_number", reason="核实身份")
    with pytest.raises(PermissionDenied):
        pii.reveal(actor=None, obj=_saved_person(), field_name="id_number", reason="核实身份")
    assert not PIIAccessLog.objects.exists()


def test_reveal_with_permission_returns_plaintext_and_logs_once(db):
    user = _user_with_reveal()
    with request_context("req-42"):
        value = pii.reveal(
            actor=user, obj=_saved_person(pk=7), field_name="id_number", reason=" 核实身份 "
        )
    assert value == ID_18
    log = PIIAccessLog.objects.get()
    assert log.action == PIIAction.REVEAL
    assert log.actor == user and log.actor_label == "revealer"
    assert log.content_type == ContentType.objects.get_for_model(Person)
    assert log.object_id == "7"
    assert log.fields == ["id_number"]
    assert log.row_count == 1
    assert log.reason == "核实身份"
    assert log.request_id == "req-42"
    assert ID_18 not in str(PIIAccessLog.objects.values().get())


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reveal_needs_a_reason(db, reason):
    user = _user_with_reveal()
    with pytest.raises(ValidationError) as exc:
        pii.reveal(actor=user, obj=_saved_person(), field_name="phone", reason=reason)
    assert "reason" in exc.value.message_dict
    assert not PIIAccessLog.objects.exists()


def test_reveal_refuses_a_field_that_is_not_protected(db):
    with pytest.raises(ValueError):
        pii.reveal(actor=_user_with_reveal(), obj=_saved_person(), field_name="name", reason="x")


def test_a_reveal_row_without_reason_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError):
        PIIAccessLog.objects.create(action=PIIAction.REVEAL, reason="", request_id="r")


def test_record_export_writes_a_row(db):
    user = f.UserFactory(username="exporter")
    with request_context("req-export"):
        log = pii.record_export(
            actor=user, model=Person, fields=["name", "phone"], row_count=120, reason="台账"
        )
    log.refresh_from_db()
    assert log.action == PIIAction.EXPORT
    assert log.actor == user
    assert log.content_type == ContentType.objects.get_for_model(Person)
    assert log.object_id == ""
    assert log.fields == ["name", "phone"]
    assert log.row_count == 120
    assert log.reason == "台账"
    assert log.request_id == "req-export"


def test_department_staff_may_reveal_and_read_the_access_log(db):
    group = Group.objects.get(name="组织部工作人员")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"reveal_pii", "view_piiaccesslog"} <= codenames
    others = Group.objects.exclude(pk=group.pk).filter(permissions__codename="reveal_pii")
    assert not others.exists()


def test_role_groups_regain_the_pii_grants_after_a_flush(db):
    from organizations.roles import apply_all_role_grants

    Group.objects.filter(name="组织部工作人员").delete()
    apply_all_role_grants()  # what the factories do after a transactional test flushed the groups
    group = Group.objects.get(name="组织部工作人员")
    assert group.permissions.filter(codename__in=["reveal_pii", "view_piiaccesslog"]).count() == 2


def test_the_access_log_admin_is_for_city_wide_staff_only(client, world):
    url = reverse("admin:core_piiaccesslog_changelist")
    pii.record_export(actor=world.staff, model=Group, fields=["name"], row_count=3)
    client.force_login(world.staff)
    assert client.get(url).status_code == 200

    client.force_login(world.secretary_delivery)
    assert client.get(url).status_code in (403, 404)


# --- in the database -----------------------------------------------------------------------


@pytest.fixture
def person_table(transactional_db):
    with connection.schema_editor() as editor:
        editor.create_model(Person)
    yield Person
    with connection.schema_editor() as editor:
        editor.delete_model(Person)


def test_rows_hold_tokens_and_indexes_never_plaintext(person_table):
    body = "32040219900307123"
    current = body + ric_check_char(body)
    person = Person.objects.create(name="张三", id_number=current, phone="+86 138-1234-5678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM test_pii_person")
        raw = cursor.fetchall()
    assert current not in str(raw) and "13812345678" not in str(raw)

    loaded = Person.objects.get(pk=person.pk)
    assert loaded.id_number == current and loaded.phone == "+86 138-1234-5678"
    legacy = "320402900307123"
    assert Person.objects.filter(pii.protected_lookup(Person, "id_number", legacy)).get() == person
    assert Person.objects.filter(pii.protected_lookup(Person, "phone", "13812345678")).exists()

    loaded.phone = "13900001111"
    loaded.save(update_fields=["phone"])
    assert Person.objects.filter(pii.protected_lookup(Person, "phone", "139-0000-1111")).exists()
    assert not Person.objects.filter(pii.protected_lookup(Person, "phone", "13812345678")).exists()


def test_uniqueness_through_the_index_ignores_empty_values(person_table):
    Person.objects.create(id_number=ID_X)
    Person.objects.create(id_number="")
    Person.objects.create(id_number="")  # many rows may have no value
    duplicate = Person(id_number=ID_X.lower())
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert list(exc.value.message_dict) == ["id_number"]
    with pytest.raises(ValidationError) as exc:  # as a model form does: the index is not editable
        duplicate.full_clean(exclude=["id_number_index", "phone_index"])
    assert list(exc.value.message_dict) == ["id_number"]
    with pytest.raises(IntegrityError):
        Person.objects.create(id_number=f" {ID_X} ")


def test_audit_sees_a_change_hidden_by_the_mask():
    from core.audit import diff, snapshot
    from members.models import Worker

    worker = Worker(source="s", external_id="1", name="甲", phone="13812345678")
    before = snapshot(worker)
    worker.phone = "13899995678"  # same first 3 and last 4 digits: the same mask
    changes = diff(before, snapshot(worker))
    assert changes == {"phone": ["138****5678", "138****5678"]}
    import json

    assert "1389999" not in json.dumps(changes)


def test_set_indexes_refreshes_every_blind_index_for_bulk_paths():
    from core.pii import blind_index, set_indexes
    from members.models import Worker

    worker = Worker(source="s", external_id="1", name="甲", phone="13812345678")
    assert worker.phone_index == ""  # nothing set it yet: bulk_update would write it stale
    set_indexes(worker)
    assert worker.phone_index == blind_index("13812345678", kind="phone")
    assert worker.id_number_index == ""
