"""The member roster (``import_members``): its columns, how its cells are checked and how a
row merges into a :class:`~members.models.PartyMember` (whose own ``clean`` decides)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.pii import PHONE, RESIDENT_ID, blind_indexes_of_normalized
from organizations.models import PartyOrganization

from ...choices import MemberStatus
from ...models import PartyMember
from ...names import name_pinyin
from . import cells as c
from .engine import Parsed, Spec, existing_by_key
from .report import RowError

#: The column contract of a member roster (``import_members``), in order.
MEMBER_COLUMNS = (
    "member_id",
    "name",
    "id_number",
    "phone",
    "status",
    "organization_code",
    "home_organization",
    "joined_on",
    "mobile",
)
MEMBER_STATUSES = (MemberStatus.FULL, MemberStatus.PROBATIONARY)
MAX_HOME_ORGANIZATION_LENGTH = 128

#: Model field → roster column, for errors raised by the model's ``clean``.
_COLUMN_OF = {
    "name": "name",
    "id_number": "id_number",
    "phone": "phone",
    "status": "status",
    "organization": "organization_code",
    "home_organization_name": "home_organization",
    "joined_on": "joined_on",
    "is_mobile": "mobile",
}
_CLEANED = (
    "name",
    "status",
    "organization_id",
    "home_organization_name",
    "joined_on",
    "probation_due",
    "is_mobile",
)


class MemberSpec(Spec):
    model = PartyMember
    key_field = "member_id"
    key_column = "member_id"
    compared = (
        "name",
        "id_number_index",
        "phone_index",
        "status",
        "organization_id",
        "home_organization_name",
        "joined_on",
        "probation_due",
        "is_mobile",
        "region_id",
    )
    match_fields = frozenset({"name", "id_number_index", "phone_index"})
    writes = {
        "name": ("name", "name_pinyin"),
        "id_number_index": ("id_number", "id_number_index", "birth_date", "gender"),
        "phone_index": ("phone", "phone_index"),
    }
    audit_verb = "member_roster_upsert"
    job_kind = "members.member_roster_upsert"

    def __init__(self, *, actor: Any) -> None:
        self.actor = actor
        #: blind index → (member_id, row) of the first row of this call with that ID number.
        self.ids_in_call: dict[str, tuple[str, int]] = {}
        #: organization id → its region id (a member is located where their organization is).
        self.regions_of: dict[int, int | None] = {}

    columns = MEMBER_COLUMNS
    hash_salt = ""

    def parse(self, chunk):
        from .engine import visible

        codes = {t[5] for _, t, _h in chunk} - {""}
        found = visible(PartyOrganization, self.actor).filter(code__in=codes)
        organizations: dict[str, int] = {}
        for code, pk, region_id in found.values_list("code", "pk", "region_id"):
            organizations[code] = pk
            self.regions_of[pk] = region_id
        ids = iter(c.check_ids([t[2] for _, t, _h in chunk if t[2]]))
        parsed: list[Parsed] = []
        errors: list[RowError] = []
        for number, text, digest in chunk:
            key, name, id_raw, phone_raw, status, org, home, joined, mobile = text
            problems = c.RowProblems()
            values: dict[str, Any] = {}
            c.check_key_and_name(key, name, "member_id", problems, values)
            if id_raw:
                checked = next(ids)
                if checked.value is None:
                    problems.error("id_number", checked.error)
                else:
                    index = blind_indexes_of_normalized([checked.value], kind=RESIDENT_ID)[0]
                    first = self.ids_in_call.get(index)
                    if first is not None and first[0] != key:
                        problems.error(
                            "id_number",
                            _("Row %(row)d of this batch has the same ID number.")
                            % {"row": first[1]},
                        )
                    else:
                        values["id_number"] = checked.value
                        values["id_number_index"] = index
                        values["birth_date"], values["gender"] = checked.birth_date, checked.gender
                        problems.warnings += [("id_number", w) for w in checked.warnings]
                        if key and not problems.errors:
                            self.ids_in_call.setdefault(index, (key, number))
            if phone_raw and (value := c.check_phone(phone_raw, problems)) is not None:
                values["phone"] = value
            if status:
                if status.lower() in MEMBER_STATUSES:
                    values["status"] = status.lower()
                else:
                    problems.error(
                        "status",
                        _("Give one of: %(choices)s.") % {"choices": ", ".join(MEMBER_STATUSES)},
                    )
            if org:
                if org in organizations:
                    values["organization_id"] = organizations[org]
                else:
                    problems.error(
                        "organization_code",
                        _("No party organization in your scope has the code %(code)s.")
                        % {"code": org},
                    )
            if home and c.check_length(
                home, "home_organization", MAX_HOME_ORGANIZATION_LENGTH, problems
            ):
                values["home_organization_name"] = home
            if joined:
                try:
                    values["joined_on"] = dt.date.fromisoformat(
                        joined[:10] if len(joined) > 10 else joined
                    )
                except ValueError:
                    problems.error("joined_on", _("Give a date as YYYY-MM-DD."))
            if mobile and (value := c.parse_bool(mobile, "mobile", problems)) is not None:
                values["is_mobile"] = value
            if problems.errors:
                errors += [RowError(number, key, col, m) for col, m in problems.errors]
            else:
                parsed.append(Parsed(number, key, values, problems.warnings, digest))
        return parsed, errors

    def existing(self, keys):
        found = existing_by_key(
            PartyMember,
            "member_id",
            keys,
            ("pk", "member_id", "row_hash", "host_organization_id", *self.compared),
        )
        org_ids = {
            pk
            for row in found.values()
            for pk in (row["organization_id"], row["host_organization_id"])
            if pk and pk not in self.regions_of
        }
        if org_ids:
            self.regions_of.update(
                PartyOrganization.objects.filter(pk__in=org_ids).values_list("pk", "region_id")
            )
        return found

    def refuse(self, current, seen_ids):
        if current["pk"] not in seen_ids:
            return "member_id", _("This member is outside your scope; it cannot be changed.")
        return None

    def new_needs(self, item):
        if not item.values.get("name"):
            return "name", _("A new member needs a name.")
        return None

    def prepare(self, parsed):
        indexes = [p.values["id_number_index"] for p in parsed if "id_number_index" in p.values]
        self._holders = dict(
            PartyMember.objects.filter(id_number_index__in=indexes).values_list(
                "id_number_index", "member_id"
            )
        )
        phones = [p.values["phone"] for p in parsed if "phone" in p.values]
        self._phone_index = dict(
            zip(phones, blind_indexes_of_normalized(phones, kind=PHONE), strict=True)
        )
        self._key = None

    def merge(self, current, item):
        merged = (
            dict(current)
            if current is not None
            else {
                "name": "",
                "id_number_index": "",
                "phone_index": "",
                "status": MemberStatus.FULL,
                "organization_id": None,
                "home_organization_name": "",
                "joined_on": None,
                "probation_due": None,
                "is_mobile": False,
                "region_id": None,
            }
        )
        merged.update(item.values)
        org_id = merged.get("organization_id")
        # Located where the hosting, else the holding, organization is (PartyMember.derive_region).
        for located_by in (merged.get("host_organization_id"), org_id):
            if located_by and self.regions_of.get(located_by):
                merged["region_id"] = self.regions_of[located_by]
                break
        if "phone" in item.values:
            merged["phone_index"] = self._phone_index[item.values["phone"]]
        if "name" in item.values:
            merged["name_pinyin"] = name_pinyin(item.values["name"])
        merged["_key"] = item.key
        return merged

    def check(self, merged):
        """Another member holding the ID number, then the model's own rules (``clean``)."""
        key = merged.pop("_key")
        index = merged.get("id_number_index")
        if index and self._holders.get(index, key) != key:
            return [("id_number", _("Another party member already has this ID number."))]
        member = PartyMember(**{name: merged.get(name) for name in _CLEANED})
        member.derive_probation()
        merged["probation_due"] = member.probation_due
        try:
            member.clean()
        except ValidationError as exc:
            return [
                (_COLUMN_OF.get(name, "member_id"), str(m))
                for name, errors in exc.error_dict.items()
                for e in errors
                for m in e.messages
            ]
        return []

    def new_row(self, item, merged, now):
        row = merged  # a new record's merged values are used once: no copy
        row.pop("pk", None)
        row.update(member_id=item.key, created_at=now, updated_at=now, identity_changed_at=now)
        row["row_hash"] = item.hash
        row.setdefault("name_pinyin", name_pinyin(row.get("name", "")))
        return row

    def scope_field(self, item):
        return "organization_code"
