"""The worker roster (``import_workers``, ``POST /api/v1/workers/bulk/``): its columns, how
its cells are checked and how a row merges into a :class:`~members.models.Worker`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _

from core.identity import normalize_uscc
from core.models import JobRun
from core.pii import PHONE, RESIDENT_ID, blind_indexes_of_normalized
from organizations.choices import EnterpriseKind
from organizations.models import Enterprise, Industry, Region

from ...choices import PoliticalStatus
from ...models import RosterSighting, Worker
from ...names import name_pinyin
from . import cells as c
from .engine import Parsed, Spec, existing_by_key, unrestricted, visible
from .report import RowError

#: The column contract of a worker roster (``import_workers``), in order.
WORKER_COLUMNS = (
    "external_id",
    "name",
    "id_number",
    "phone",
    "industry",
    "enterprise_uscc",
    "region_code",
    "political_status",
    "work_lat",
    "work_lng",
)

#: attname → roster column, for errors about a merged record.
_COLUMN_OF = {"name": "name", "work_lat": "work_lat", "work_lng": "work_lng"}


class WorkerSpec(Spec):
    model = Worker
    key_field = "external_id"
    key_column = "external_id"
    compared = (
        "name",
        "id_number_index",
        "phone_index",
        "industry_id",
        "enterprise_id",
        "platform_id",
        "region_id",
        "political_status",
        "work_lat",
        "work_lng",
        "active",
    )
    match_fields = frozenset({"name", "id_number_index", "phone_index", "region_id", "industry_id"})
    writes = {
        "name": ("name", "name_pinyin"),
        "id_number_index": ("id_number", "id_number_index", "birth_date", "gender"),
        "phone_index": ("phone", "phone_index"),
    }
    refuse_fields = ("platform_id",)
    audit_verb = "roster_upsert"
    job_kind = "members.roster_upsert"
    # A chunk reads only its own keys (a key named again is caught in memory) and the
    # reference tables: it may be prepared while the one before is written.
    pipelined = True

    def __init__(
        self,
        *,
        actor: Any,
        source: str,
        source_kind: str,
        partner_platform_id: int | None,
        roster_platform: Enterprise | None,
    ) -> None:
        self.actor = actor
        self.source = source
        self.source_kind = source_kind
        self.partner_platform_id = partner_platform_id
        self.roster_platform = roster_platform

    # --- cells -------------------------------------------------------------------------------

    columns = WORKER_COLUMNS

    @property
    def hash_salt(self) -> str:
        return self.source

    def parse(self, chunk):
        """Check each row's cells (``chunk``: row number, cells as text, row hash); look codes
        up with one query per kind for the chunk."""
        industry_codes = {t[4] for _, t, _h in chunk} - {""}
        region_codes = {t[6] for _, t, _h in chunk} - {""}
        usccs = {normalize_uscc(u) for u in {t[5] for _, t, _h in chunk} if u} - {""}
        industries = dict(
            Industry.objects.filter(code__in=industry_codes).values_list("code", "pk")
        )
        regions = dict(Region.objects.filter(code__in=region_codes).values_list("code", "pk"))
        enterprises = {e.uscc: e for e in visible(Enterprise, self.actor).filter(uscc__in=usccs)}
        ids = iter(c.check_ids([t[2] for _, t, _h in chunk if t[2]]))
        parsed: list[Parsed] = []
        errors: list[RowError] = []
        statuses = PoliticalStatus.values
        for number, text, digest in chunk:
            key, name, id_raw, phone_raw, industry, uscc, region, status, lat_raw, lng_raw = text
            problems = c.RowProblems()
            values: dict[str, Any] = {}
            extra: dict[str, Any] = {}
            c.check_key_and_name(key, name, "external_id", problems, values)
            if id_raw:
                checked = next(ids)
                if checked.value is None:
                    problems.error("id_number", checked.error)
                else:
                    values["id_number"] = checked.value
                    values["birth_date"], values["gender"] = checked.birth_date, checked.gender
                    problems.warnings += [("id_number", w) for w in checked.warnings]
            if phone_raw and (value := c.check_phone(phone_raw, problems)) is not None:
                values["phone"] = value
            if industry:
                if industry in industries:
                    values["industry_id"] = industries[industry]
                else:
                    problems.error(
                        "industry", _("No industry has the code %(code)s.") % {"code": industry}
                    )
            if uscc:
                code = normalize_uscc(uscc)
                if code in enterprises:
                    extra["enterprise"] = enterprises[code]
                    values["enterprise_id"] = enterprises[code].pk
                else:
                    problems.error(
                        "enterprise_uscc",
                        _(
                            "No enterprise in your scope has the unified social credit code "
                            "%(code)s."
                        )
                        % {"code": code},
                    )
            if region:
                if region in regions:
                    values["region_id"] = regions[region]
                else:
                    problems.error(
                        "region_code",
                        _("No region has the division code %(code)s.") % {"code": region},
                    )
            if status:
                if status.lower() in statuses:
                    values["political_status"] = status.lower()
                else:
                    problems.error(
                        "political_status",
                        _("Give one of: %(choices)s.") % {"choices": ", ".join(statuses)},
                    )
            if bool(lat_raw) != bool(lng_raw):
                problems.error(
                    "work_lng" if lat_raw else "work_lat",
                    _("Give both latitude and longitude, or neither."),
                )
            elif lat_raw:
                lat = c.check_float(lat_raw, "work_lat", -90, 90, problems)
                lng = c.check_float(lng_raw, "work_lng", -180, 180, problems)
                if lat is not None and lng is not None:
                    values["work_lat"], values["work_lng"] = lat, lng
            if problems.errors:
                errors += [RowError(number, key, col, m) for col, m in problems.errors]
            else:
                parsed.append(Parsed(number, key, values, problems.warnings, digest, extra))
        return parsed, errors

    # --- records -------------------------------------------------------------------------------

    def existing(self, keys):
        return existing_by_key(
            Worker, "external_id", keys, ("pk", "external_id", "row_hash", *self.compared),
            source=self.source,
        )  # fmt: skip

    def refuse(self, current, seen_ids):
        if current["pk"] not in seen_ids or (
            self.partner_platform_id is not None
            and current["platform_id"] != self.partner_platform_id
        ):
            # Another platform's worker answers like any worker outside the scope: the message
            # does not tell whose the id is.
            return "external_id", _("This worker is outside your scope; it cannot be changed.")
        return None

    def new_needs(self, item):
        if not item.values.get("name"):
            return "name", _("A new worker needs a name.")
        return None

    def prepare(self, parsed):
        ids = [p.values["id_number"] for p in parsed if "id_number" in p.values]
        phones = [p.values["phone"] for p in parsed if "phone" in p.values]
        self._id_index = dict(
            zip(ids, blind_indexes_of_normalized(ids, kind=RESIDENT_ID), strict=True)
        )
        self._phone_index = dict(
            zip(phones, blind_indexes_of_normalized(phones, kind=PHONE), strict=True)
        )

    def merge(self, current, item):
        values = item.values
        merged = (
            dict(current)
            if current is not None
            else {
                "name": "",
                "id_number_index": "",
                "phone_index": "",
                "industry_id": None,
                "enterprise_id": None,
                "platform_id": None,
                "region_id": None,
                "political_status": PoliticalStatus.MASSES,
                "work_lat": None,
                "work_lng": None,
            }
        )
        merged.update(values)
        if "id_number" in values:
            merged["id_number_index"] = self._id_index[values["id_number"]]
        if "phone" in values:
            merged["phone_index"] = self._phone_index[values["phone"]]
        # An enterprise fills an empty industry and region, and gives the platform unless the
        # roster has one (a partner's roster always has its own).
        enterprise: Enterprise | None = item.extra.get("enterprise")
        target = self.roster_platform.pk if self.roster_platform is not None else None
        if enterprise is not None:
            if merged["industry_id"] is None and "industry_id" not in values:
                merged["industry_id"] = enterprise.industry_id
            if merged["region_id"] is None and "region_id" not in values:
                merged["region_id"] = enterprise.region_id
            if target is None:
                target = enterprise.platform_id or (
                    enterprise.pk if enterprise.kind == EnterpriseKind.PLATFORM_HQ else None
                )
        if target is not None:
            merged["platform_id"] = target
        merged["active"] = True
        if "name" in values:
            merged["name_pinyin"] = name_pinyin(values["name"])
        return merged

    def new_row(self, item, merged, now):
        row = merged  # a new record's merged values are used once: no copy
        row.pop("pk", None)
        row.update(
            source=self.source,
            source_kind=self.source_kind,
            external_id=item.key,
            first_seen=now,
            last_seen=now,
            created_at=now,
            updated_at=now,
            identity_changed_at=now,
            row_hash=item.hash,
        )
        row.setdefault("name_pinyin", name_pinyin(row.get("name", "")))
        return row

    def key_scope(self):
        return {"source": self.source}

    def touched(self, now):
        return {"updated_at": now, "last_seen": now}

    def scope_field(self, item):
        for column, name in (
            ("enterprise_uscc", "enterprise_id"),
            ("industry", "industry_id"),
            ("region_code", "region_id"),
        ):
            if name in item.values:
                return column
        return "industry"

    def after(self, seen, now, job):
        """Record when this roster saw its workers, as islands of ids (``RosterSighting``),
        instead of writing ``last_seen`` on each."""
        if not seen:
            return
        record_sightings(self.source, np.unique(np.array(seen, dtype=np.int64)), now, job)


def record_sightings(source: str, seen: np.ndarray, now: dt.datetime, job: JobRun | None) -> int:
    """Cut the sorted ids ``seen`` into islands of consecutive ids of ``source`` (no worker of
    the source left out between two ids of an island), write them, and delete the islands
    they supersede. Returns the number of islands."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM members_worker WHERE source = %s ORDER BY id", [source])
        every = np.fromiter((r[0] for r in cursor.fetchall()), dtype=np.int64)
    position = np.searchsorted(every, seen)
    breaks = np.flatnonzero(np.diff(position) != 1) + 1
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks, [len(seen)]]) - 1
    islands = [
        RosterSighting(
            source=source, first_pk=int(seen[a]), last_pk=int(seen[b]), seen_at=now, job=job
        )
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    ]
    RosterSighting.objects.bulk_create(islands, batch_size=2_000)
    if len(islands) <= 200:
        for island in islands:
            RosterSighting.objects.filter(
                source=source,
                first_pk__gte=island.first_pk,
                last_pk__lte=island.last_pk,
                seen_at__lt=now,
            ).delete()
    return len(islands)


def partner_platform_id(actor: Any) -> int | None:
    if unrestricted(actor):
        return None
    from organizations import scoping

    grants = scoping.grants_for(actor)
    return grants.platform_ids[0] if grants.platform_ids else None
