"""Roster intake: the one service behind the three doors (API, admin/portal import, commands).

:func:`roster_upsert` takes worker rows keyed by (``source``, ``external_id``) and creates or
updates :class:`~members.models.Worker` rows; :func:`member_roster_upsert` does the same for
party members keyed by ``member_id``. Both follow the same rules:

* Every row is validated fully in Python; a bad row is reported with its row number, the column
  and the reason (in the active language) and skipped; the good rows are written. Row numbers
  are what the caller says the first row is (``first_row=1`` for API arrays; files pass 2, so a
  row number is the line in the file with the header as line 1).
* An empty cell means "not given": on create the field stays blank (or takes its default), on
  update the stored value is kept. A roster that lacks a column never erases what another
  roster said. Intake never clears a field.
* A key twice in one batch: the later row is rejected ("duplicate in this batch"); the first
  one counts. Silently letting the last win would hide a broken roster.
* Scope: lookups only find enterprises / organizations the actor sees, an existing record the
  actor cannot see is not touched, and every written record must be visible to the actor
  afterwards (checked with one scoped query per chunk through ``organizations.scoping``; the
  chunk is rolled back to a savepoint and redone without the offending rows). A partner
  (scope grant ``partner``) writes only workers of its own platform: new workers get its
  platform, and a key that exists on another platform is a row error.
* Speed: rows are processed in chunks of :data:`CHUNK_SIZE`; each chunk runs a constant number of
  queries (lookups by code, existing records by key, ``bulk_create``/``bulk_update`` in
  batches, one scope check). ``derive_identity()`` and the blind indexes are set here, because
  bulk writes skip ``Model.save``. ``identity_changed_at`` moves only when a field the matcher
  reads (``PersonFields.MATCH_FIELDS``) changed, so an unchanged re-sent roster gives the
  matcher nothing new; ``last_seen`` moves for every worker seen again.
* Audit: one :class:`~core.models.JobRun` per call holds the report (counts and row errors, no
  personal data), and one audit event is written on that job run, not one per row.

The management commands act as :data:`SYSTEM`, a city-wide actor that is not a user.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction, JobStatus
from core.identity import check_resident_id, normalize_uscc
from core.models import JobRun
from core.pii import RESIDENT_ID, blind_index, normalize_phone, set_indexes
from organizations import scoping
from organizations.choices import EnterpriseKind
from organizations.models import Enterprise, Industry, PartyOrganization, Region

from ..choices import MemberStatus, PoliticalStatus, WorkerSourceKind
from ..models import PartyMember, Worker

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
MAX_KEY_LENGTH = 64
MAX_NAME_LENGTH = 64
MAX_HOME_ORGANIZATION_LENGTH = 128
CHUNK_SIZE = 1000
BATCH_SIZE = 500
_PHONE_RE = re.compile(r"^(1\d{10}|0\d{9,11})$")
_TRUE = frozenset({"true", "1", "yes", "y", "t", "是"})
_FALSE = frozenset({"false", "0", "no", "n", "f", "否"})


class SystemActor:
    """The actor of scripts and operators (management commands): city-wide, not a user.

    Only this object bypasses scope checks; a missing actor (``None``) is refused."""

    is_authenticated = False

    def __init__(self, label: str) -> None:
        self.label = label

    def __str__(self) -> str:
        return self.label


SYSTEM = SystemActor("system")


@dataclass(frozen=True)
class RowError:
    """One problem with one row: the row number, the row's key, the column and the reason."""

    row: int
    key: str
    field: str
    message: str


@dataclass
class IntakeReport:
    """What one intake call did. ``read`` = created + updated + unchanged + rejected."""

    key_name: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: Problems that do not reject the row (e.g. an ID whose region no table lists).
    warnings: list[RowError] = field(default_factory=list)
    #: (row number, key, "created" | "updated" | "unchanged") for each written row.
    row_actions: list[tuple[int, str, str]] = field(default_factory=list)
    job_id: int | None = None

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict[str, Any]:
        """The report as the API returns it (no personal data in it)."""

        def rows(items: list[RowError]) -> list[dict[str, Any]]:
            return [
                {"row": e.row, self.key_name: e.key, "field": e.field, "message": e.message}
                for e in items
            ]

        return {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": rows(self.errors),
            "warnings": rows(self.warnings),
        }


# --- cells -----------------------------------------------------------------------------------


def cell(row: Mapping[str, Any], column: str) -> str:
    """A cell as stripped text; ``None`` and missing columns are empty. Whole floats from a
    spreadsheet (``13912345678.0``) lose their ``.0``."""
    value = row.get(column)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


class _RowProblems:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))


def _check_id_number(raw: str, problems: _RowProblems) -> str | None:
    """The 18-digit id (15-digit legacy numbers converted); ``None`` after an error."""
    try:
        checked = check_resident_id(raw)
    except ValidationError as exc:
        problems.error("id_number", exc.messages[0])
        return None
    problems.warnings += [("id_number", w) for w in checked.warnings]
    return checked.value


def _check_phone(raw: str, problems: _RowProblems) -> str | None:
    digits = normalize_phone(raw)
    if not _PHONE_RE.match(digits):
        # The value is never repeated back: it is personal data.
        problems.error(
            "phone", _("Not a phone number: give 11 digits, or an area code and number.")
        )
        return None
    return digits


def _check_float(raw: str, column: str, low: float, high: float, problems: _RowProblems):
    try:
        value = float(raw)
    except ValueError:
        problems.error(column, _("Not a number."))
        return None
    if not math.isfinite(value) or not low <= value <= high:
        problems.error(
            column,
            _("Must lie between %(low)s and %(high)s.") % {"low": low, "high": high},
        )
        return None
    return value


def _check_length(raw: str, column: str, limit: int, problems: _RowProblems) -> bool:
    if len(raw) > limit:
        problems.error(
            column,
            _("At most %(limit)d characters; this has %(n)d.") % {"limit": limit, "n": len(raw)},
        )
        return False
    return True


# --- fast updates ------------------------------------------------------------------------------


def _max_query_params(connection) -> int:
    if connection.vendor == "sqlite":
        # Django assumes 999; the linked library usually allows far more (32766 since 3.32).
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65535


def _can_update_from(connection) -> bool:
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 33)


def update_rows(model: type[models.Model], objs: list[models.Model], field_names: list[str]):
    """Write ``field_names`` of ``objs`` in one ``UPDATE … FROM (VALUES …)`` per batch.

    ``bulk_update`` builds a ``CASE WHEN`` per row and field, which costs seconds for 10,000
    rows; this writes the same values (prepared by each field, so protected values are
    encrypted) in a fraction of it. Like ``bulk_update`` it calls neither ``save`` nor
    ``pre_save``. Other databases fall back to ``bulk_update``.
    """
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if not _can_update_from(connection):
        model._default_manager.bulk_update(objs, field_names, batch_size=BATCH_SIZE)
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in field_names)]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    if connection.vendor == "postgresql":  # VALUES params are untyped there
        cells = ", ".join(f"CAST(%s AS {c.db_type(connection)})" for c in columns)
    else:
        cells = ", ".join("%s" for _ in columns)
    assignments = ", ".join(
        f"{quote(c.column)} = v.column{i}" for i, c in enumerate(columns, start=1) if i > 1
    )
    per_statement = max(1, min(CHUNK_SIZE, _max_query_params(connection) // len(columns)))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            batch = objs[start : start + per_statement]
            params = [
                c.get_db_prep_save(getattr(obj, c.attname), connection)
                for obj in batch
                for c in columns
            ]
            values = ", ".join(f"({cells})" for _ in batch)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v "
                f"WHERE {table}.{quote(meta.pk.column)} = v.column1",
                params,
            )


# --- the shared engine -------------------------------------------------------------------------


def _is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor)


def _check_actor(actor: Any) -> None:
    if actor is None:
        raise ValueError("An intake needs an actor (a user, or intake.SYSTEM for scripts).")


def _unrestricted(actor: Any) -> bool:
    return _is_system(actor) or scoping.is_city_wide(actor)


def _visible(model: type[models.Model], actor: Any) -> models.QuerySet:
    queryset = model._default_manager.all()
    return queryset if _is_system(actor) else scoping.restrict(queryset, actor)


@dataclass
class _Parsed:
    """A row that passed the checks of its own cells: ``values`` holds only the given cells."""

    row: int
    key: str
    values: dict[str, Any]
    warnings: list[tuple[str, str]]


@dataclass
class _ChunkResult:
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    actions: list[tuple[int, str, str]] = field(default_factory=list)
    #: row number → pk of each created or changed record (for the scope check).
    written: dict[int, int] = field(default_factory=dict)


def _model_errors(
    exc: ValidationError, columns: Mapping[str, str], fallback: str
) -> list[tuple[str, str]]:
    if not hasattr(exc, "error_dict"):
        return [(fallback, m) for m in exc.messages]
    return [
        (columns.get(name, fallback), str(m))
        for name, errors in exc.error_dict.items()
        for e in errors
        for m in e.messages
    ]


def _run(
    *,
    actor: Any,
    rows: Iterable[Mapping[str, Any]],
    numbers: Iterable[int],
    key_column: str,
    model: type[models.Model],
    parse: Callable[[list[tuple[int, Mapping[str, Any]]]], tuple[list[_Parsed], list[RowError]]],
    write: Callable[[list[_Parsed]], _ChunkResult],
    scope_field: Callable[[_Parsed], str],
    report: IntakeReport,
) -> None:
    """Chunk the rows, parse, write, scope-check and redo a chunk without out-of-scope rows."""
    seen: dict[str, int] = {}
    chunk: list[tuple[int, Mapping[str, Any]]] = []

    def flush() -> None:
        parsed, errors = parse(chunk)
        good: list[_Parsed] = []
        for item in parsed:
            if item.key in seen:
                errors.append(
                    RowError(
                        item.row,
                        item.key,
                        key_column,
                        _("Duplicate in this batch: the same %(column)s is in row %(first)d.")
                        % {"column": key_column, "first": seen[item.key]},
                    )
                )
            else:
                seen[item.key] = item.row
                good.append(item)
        result = _write_in_scope(actor, model, good, write, scope_field)
        report.errors += errors + result.errors
        report.warnings += result.warnings
        report.row_actions += result.actions
        chunk.clear()

    for number, row in zip(numbers, rows, strict=False):
        report.read += 1
        chunk.append((number, row))
        if len(chunk) >= CHUNK_SIZE:
            flush()
    if chunk:
        flush()
    report.errors.sort(key=lambda e: e.row)
    report.warnings.sort(key=lambda e: e.row)
    for _row, _key, action in report.row_actions:
        setattr(report, action, getattr(report, action) + 1)


def _write_in_scope(
    actor: Any,
    model: type[models.Model],
    parsed: list[_Parsed],
    write: Callable[[list[_Parsed]], _ChunkResult],
    scope_field: Callable[[_Parsed], str],
) -> _ChunkResult:
    """Write a chunk; if some written records fall outside the actor's scope, roll the chunk
    back and write it again without them (their visibility depends only on their own values,
    so the second pass needs no further check)."""
    savepoint = transaction.savepoint()
    result = write(parsed)
    if _unrestricted(actor) or not result.written:
        transaction.savepoint_commit(savepoint)
        return result
    visible = set(
        scoping.restrict(
            model._default_manager.filter(pk__in=result.written.values()), actor
        ).values_list("pk", flat=True)
    )
    outside = {row for row, pk in result.written.items() if pk not in visible}
    if not outside:
        transaction.savepoint_commit(savepoint)
        return result
    transaction.savepoint_rollback(savepoint)
    rejected = [p for p in parsed if p.row in outside]
    result = write([p for p in parsed if p.row not in outside])
    result.errors += [
        RowError(
            p.row,
            p.key,
            scope_field(p),
            _(
                "This record would fall outside your scope; give an enterprise, industry or "
                "region you are responsible for."
            ),
        )
        for p in rejected
    ]
    return result


def _finish(
    *, actor: Any, kind: str, parameters: dict[str, Any], report: IntakeReport, obj_label: str
) -> None:
    """One job run with the report and one audit event on it, for the whole call."""
    now = timezone.now()
    summary = report.as_dict()
    summary["errors"] = summary["errors"][:1000]
    summary["warnings"] = summary["warnings"][:1000]
    job = JobRun.objects.create(
        kind=kind,
        status=JobStatus.SUCCEEDED,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        started_at=now,
        finished_at=now,
        progress_done=report.read,
        progress_total=report.read,
        parameters=parameters,
        result=summary,
    )
    report.job_id = job.pk
    counts = {k: summary[k] for k in ("read", "created", "updated", "unchanged", "rejected")}
    audit.record(
        actor=actor,
        action=AuditAction.OTHER,
        obj=job,
        changes={name: [None, value] for name, value in {**parameters, **counts}.items()},
        verb=obj_label,
    )


# --- workers ---------------------------------------------------------------------------------

#: Model field → roster column, for errors raised by the model's ``clean``.
_WORKER_COLUMN_OF = {
    "name": "name",
    "id_number": "id_number",
    "phone": "phone",
    "industry": "industry",
    "enterprise": "enterprise_uscc",
    "platform": "enterprise_uscc",
    "region": "region_code",
    "political_status": "political_status",
    "work_lat": "work_lat",
    "work_lng": "work_lng",
}
#: What the change check compares (attnames; protected values by their blind index).
_WORKER_COMPARED = (
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
_MATCH_COMPARED = frozenset({"name", "id_number_index", "phone_index", "region_id", "industry_id"})
#: Columns written by ``bulk_update`` for each compared attname that changed.
_WORKER_WRITES = {
    "name": ("name", "name_pinyin"),
    "id_number_index": ("id_number", "id_number_index", "birth_date", "gender"),
    "phone_index": ("phone", "phone_index"),
}


def _partner_platform_id(actor: Any) -> int | None:
    if _unrestricted(actor):
        return None
    grants = scoping.grants_for(actor)
    return grants.platform_ids[0] if grants.platform_ids else None


def roster_upsert(
    *,
    actor: Any,
    source: str,
    rows: Iterable[Mapping[str, Any]],
    source_kind: str = WorkerSourceKind.PLATFORM_ROSTER,
    platform: Enterprise | None = None,
    first_row: int = 1,
    row_numbers: Sequence[int] | None = None,
    dry_run: bool = False,
) -> IntakeReport:
    """Create or update workers from roster ``rows`` (dicts with :data:`WORKER_COLUMNS`).

    ``source`` names the roster (a slug, e.g. ``meituan``); ``platform`` is the platform of
    the whole roster (ignored for a partner, whose own platform is used; otherwise a row's
    enterprise gives its platform when ``platform`` is not given). Rows are numbered from
    ``first_row``, or by ``row_numbers`` (a file's line numbers, blank lines skipped).
    ``dry_run`` validates and writes in a transaction that is rolled back: the report is what
    a real run would do.
    """
    _check_actor(actor)
    source = (source or "").strip()
    if not source or not re.fullmatch(r"[-a-zA-Z0-9_]+", source) or len(source) > MAX_KEY_LENGTH:
        raise ValidationError(
            {"source": _("Name the roster with letters, digits, - or _ (at most 64 characters).")}
        )
    if source_kind not in WorkerSourceKind.values:
        raise ValidationError({"source_kind": _("Unknown kind of source.")})
    partner_platform_id = _partner_platform_id(actor)
    if partner_platform_id is not None:
        platform = Enterprise.objects.get(pk=partner_platform_id)
    report = IntakeReport(key_name="external_id")
    now = timezone.now()

    def parse(chunk):
        return _parse_workers(actor, chunk)

    def write(parsed):
        return _write_workers(
            source=source,
            source_kind=source_kind,
            parsed=parsed,
            actor=actor,
            partner_platform_id=partner_platform_id,
            roster_platform=platform,
            now=now,
        )

    def scope_field(p: _Parsed) -> str:
        for column, name in (
            ("enterprise_uscc", "enterprise"),
            ("industry", "industry"),
            ("region_code", "region"),
        ):
            if name in p.values:
                return column
        return "industry"

    with transaction.atomic():
        _run(
            actor=actor,
            rows=rows,
            numbers=row_numbers or itertools.count(first_row),
            key_column="external_id",
            model=Worker,
            parse=parse,
            write=write,
            scope_field=scope_field,
            report=report,
        )
        _finish(
            actor=actor,
            kind="members.roster_upsert",
            parameters={"source": source, "source_kind": source_kind},
            report=report,
            obj_label="roster_upsert",
        )
        if dry_run:
            transaction.set_rollback(True)
            report.job_id = None
    return report


def _parse_workers(actor, chunk) -> tuple[list[_Parsed], list[RowError]]:
    """Check each row's cells; look codes up with one query per kind for the whole chunk."""
    industry_codes = {cell(r, "industry") for _, r in chunk} - {""}
    region_codes = {cell(r, "region_code") for _, r in chunk} - {""}
    usccs = {normalize_uscc(cell(r, "enterprise_uscc")) for _, r in chunk} - {""}
    industries = {i.code: i for i in Industry.objects.filter(code__in=industry_codes)}
    regions = {r.code: r for r in Region.objects.filter(code__in=region_codes)}
    enterprises = {
        e.uscc: e
        for e in _visible(Enterprise, actor).filter(uscc__in=usccs).select_related("platform")
    }
    parsed: list[_Parsed] = []
    errors: list[RowError] = []
    for number, row in chunk:
        problems = _RowProblems()
        values: dict[str, Any] = {}
        key = cell(row, "external_id")
        if not key:
            problems.error("external_id", _("This column is required."))
        else:
            _check_length(key, "external_id", MAX_KEY_LENGTH, problems)
        name = cell(row, "name")
        if name and _check_length(name, "name", MAX_NAME_LENGTH, problems):
            values["name"] = name
        raw = cell(row, "id_number")
        if raw and (value := _check_id_number(raw, problems)) is not None:
            values["id_number"] = value
        if (raw := cell(row, "phone")) and (value := _check_phone(raw, problems)) is not None:
            values["phone"] = value
        if raw := cell(row, "industry"):
            if raw in industries:
                values["industry"] = industries[raw]
            else:
                problems.error("industry", _("No industry has the code %(code)s.") % {"code": raw})
        if raw := cell(row, "enterprise_uscc"):
            code = normalize_uscc(raw)
            if code in enterprises:
                values["enterprise"] = enterprises[code]
            else:
                problems.error(
                    "enterprise_uscc",
                    _("No enterprise in your scope has the unified social credit code %(code)s.")
                    % {"code": code},
                )
        if raw := cell(row, "region_code"):
            if raw in regions:
                values["region"] = regions[raw]
            else:
                problems.error(
                    "region_code", _("No region has the division code %(code)s.") % {"code": raw}
                )
        if raw := cell(row, "political_status"):
            if raw.lower() in PoliticalStatus.values:
                values["political_status"] = raw.lower()
            else:
                problems.error(
                    "political_status",
                    _("Give one of: %(choices)s.") % {"choices": ", ".join(PoliticalStatus.values)},
                )
        lat_raw, lng_raw = cell(row, "work_lat"), cell(row, "work_lng")
        if bool(lat_raw) != bool(lng_raw):
            problems.error(
                "work_lng" if lat_raw else "work_lat",
                _("Give both latitude and longitude, or neither."),
            )
        elif lat_raw:
            lat = _check_float(lat_raw, "work_lat", -90, 90, problems)
            lng = _check_float(lng_raw, "work_lng", -180, 180, problems)
            if lat is not None and lng is not None:
                values["work_lat"], values["work_lng"] = lat, lng
        if problems.errors:
            errors += [RowError(number, key, c, m) for c, m in problems.errors]
        else:
            parsed.append(_Parsed(number, key, values, problems.warnings))
    return parsed, errors


def _write_workers(
    *,
    source: str,
    source_kind: str,
    parsed: list[_Parsed],
    actor: Any,
    partner_platform_id: int | None,
    roster_platform: Enterprise | None,
    now: dt.datetime,
) -> _ChunkResult:
    result = _ChunkResult()
    if not parsed:
        return result
    existing = {
        w.external_id: w
        for w in Worker.objects.filter(
            source=source, external_id__in=[p.key for p in parsed]
        ).select_related("platform")
    }
    if existing and not _unrestricted(actor):
        seen_ids = set(
            scoping.restrict(
                Worker.objects.filter(pk__in=[w.pk for w in existing.values()]), actor
            ).values_list("pk", flat=True)
        )
    else:
        seen_ids = {w.pk for w in existing.values()}
    creates: list[tuple[_Parsed, Worker]] = []
    changed: list[tuple[_Parsed, Worker]] = []
    unchanged: list[tuple[_Parsed, Worker]] = []
    changed_fields: set[str] = set()
    for item in parsed:
        worker = existing.get(item.key)
        values = dict(item.values)
        if worker is not None and (
            worker.pk not in seen_ids
            or (partner_platform_id is not None and worker.platform_id != partner_platform_id)
        ):
            message = (
                _("This id belongs to a worker of another platform; it cannot be changed.")
                if partner_platform_id is not None
                else _("This worker is outside your scope; it cannot be changed.")
            )
            result.errors.append(RowError(item.row, item.key, "external_id", message))
            continue
        if worker is None:
            if not values.get("name"):
                result.errors.append(
                    RowError(item.row, item.key, "name", _("A new worker needs a name."))
                )
                continue
            worker = Worker(
                source=source,
                source_kind=source_kind,
                external_id=item.key,
                first_seen=now,
                last_seen=now,
                identity_changed_at=now,
            )
            before = None
        else:
            before = {name: getattr(worker, name) for name in _WORKER_COMPARED}
        _apply_worker_values(worker, values, roster_platform)
        worker.active = True
        worker.derive_identity()
        try:
            worker.clean()
        except ValidationError as exc:
            result.errors += [
                RowError(item.row, item.key, c, m)
                for c, m in _model_errors(exc, _WORKER_COLUMN_OF, "external_id")
            ]
            continue
        result.warnings += [RowError(item.row, item.key, c, m) for c, m in item.warnings]
        if before is None:
            creates.append((item, worker))  # bulk_create's pre_save sets the blind indexes
            continue
        # Blind indexes now, so that the change check compares them (bulk_update skips pre_save).
        set_indexes(worker)
        diff = {name for name in _WORKER_COMPARED if getattr(worker, name) != before[name]}
        if not diff:
            unchanged.append((item, worker))
            continue
        if diff & _MATCH_COMPARED:
            worker.identity_changed_at = now
            changed_fields.add("identity_changed_at")
        for name in diff:
            changed_fields.update(_WORKER_WRITES.get(name, (name.removesuffix("_id"),)))
        worker.last_seen = worker.updated_at = now
        changed.append((item, worker))
    if creates:
        Worker.objects.bulk_create([w for _, w in creates], batch_size=BATCH_SIZE)
    if changed:
        update_rows(
            Worker, [w for _, w in changed], sorted(changed_fields | {"last_seen", "updated_at"})
        )
    if unchanged:
        Worker.objects.filter(pk__in=[w.pk for _, w in unchanged]).update(last_seen=now)
    for action, items in (("created", creates), ("updated", changed), ("unchanged", unchanged)):
        for item, worker in items:
            result.actions.append((item.row, item.key, action))
            if action != "unchanged":
                result.written[item.row] = worker.pk
    return result


def _apply_worker_values(
    worker: Worker, values: dict[str, Any], roster_platform: Enterprise | None
) -> None:
    """Set the given cells; an enterprise fills an empty industry and region, and gives the
    platform unless the roster has one (a partner's roster always has its own)."""
    enterprise: Enterprise | None = values.get("enterprise")
    for name, value in values.items():
        setattr(worker, name, value)
    target = roster_platform
    if enterprise is not None:
        if worker.industry_id is None and "industry" not in values:
            worker.industry_id = enterprise.industry_id
        if worker.region_id is None and "region" not in values:
            worker.region_id = enterprise.region_id
        if target is None:
            target = enterprise.platform or (
                enterprise if enterprise.kind == EnterpriseKind.PLATFORM_HQ else None
            )
    if target is not None and worker.platform_id != target.pk:
        worker.platform = target


# --- party members ---------------------------------------------------------------------------

_MEMBER_COLUMN_OF = {
    "name": "name",
    "id_number": "id_number",
    "phone": "phone",
    "status": "status",
    "organization": "organization_code",
    "home_organization_name": "home_organization",
    "joined_on": "joined_on",
    "is_mobile": "mobile",
}
_MEMBER_COMPARED = (
    "name",
    "id_number_index",
    "phone_index",
    "status",
    "organization_id",
    "home_organization_name",
    "joined_on",
    "probation_due",
    "is_mobile",
)
_MEMBER_MATCH_COMPARED = frozenset({"name", "id_number_index", "phone_index"})


def member_roster_upsert(
    *,
    actor: Any,
    rows: Iterable[Mapping[str, Any]],
    first_row: int = 1,
    row_numbers: Sequence[int] | None = None,
    dry_run: bool = False,
) -> IntakeReport:
    """Create or update party members from roster ``rows`` (dicts with :data:`MEMBER_COLUMNS`),
    keyed by ``member_id``. The organization (``organization_code``) must be one the actor sees;
    an ID number already held by another member is a row error. Same rules as
    :func:`roster_upsert` otherwise."""
    _check_actor(actor)
    report = IntakeReport(key_name="member_id")
    now = timezone.now()
    #: blind index → (member_id, row) of the first row in this batch with that ID number.
    ids_in_batch: dict[str, tuple[str, int]] = {}

    def parse(chunk):
        return _parse_members(actor, chunk, ids_in_batch)

    def write(parsed):
        return _write_members(actor=actor, parsed=parsed, now=now)

    with transaction.atomic():
        _run(
            actor=actor,
            rows=rows,
            numbers=row_numbers or itertools.count(first_row),
            key_column="member_id",
            model=PartyMember,
            parse=parse,
            write=write,
            scope_field=lambda p: "organization_code",
            report=report,
        )
        _finish(
            actor=actor,
            kind="members.member_roster_upsert",
            parameters={},
            report=report,
            obj_label="member_roster_upsert",
        )
        if dry_run:
            transaction.set_rollback(True)
            report.job_id = None
    return report


def _parse_bool(raw: str, problems: _RowProblems) -> bool | None:
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    problems.error("mobile", _("Give true or false."))
    return None


def _parse_members(actor, chunk, ids_in_batch) -> tuple[list[_Parsed], list[RowError]]:
    codes = {cell(r, "organization_code") for _, r in chunk} - {""}
    organizations = {o.code: o for o in _visible(PartyOrganization, actor).filter(code__in=codes)}
    parsed: list[_Parsed] = []
    errors: list[RowError] = []
    for number, row in chunk:
        problems = _RowProblems()
        values: dict[str, Any] = {}
        key = cell(row, "member_id")
        if not key:
            problems.error("member_id", _("This column is required."))
        else:
            _check_length(key, "member_id", MAX_KEY_LENGTH, problems)
        name = cell(row, "name")
        if name and _check_length(name, "name", MAX_NAME_LENGTH, problems):
            values["name"] = name
        raw = cell(row, "id_number")
        if raw and (value := _check_id_number(raw, problems)) is not None:
            index = blind_index(value, kind=RESIDENT_ID)
            first = ids_in_batch.get(index)
            if first is not None and first[0] != key:
                problems.error(
                    "id_number",
                    _("Row %(row)d of this batch has the same ID number.") % {"row": first[1]},
                )
            else:
                values["id_number"] = value
                if key and not problems.errors:
                    ids_in_batch.setdefault(index, (key, number))
        if (raw := cell(row, "phone")) and (value := _check_phone(raw, problems)) is not None:
            values["phone"] = value
        if raw := cell(row, "status"):
            if raw.lower() in MEMBER_STATUSES:
                values["status"] = raw.lower()
            else:
                problems.error(
                    "status",
                    _("Give one of: %(choices)s.") % {"choices": ", ".join(MEMBER_STATUSES)},
                )
        if raw := cell(row, "organization_code"):
            if raw in organizations:
                values["organization"] = organizations[raw]
            else:
                problems.error(
                    "organization_code",
                    _("No party organization in your scope has the code %(code)s.") % {"code": raw},
                )
        raw = cell(row, "home_organization")
        if raw and _check_length(raw, "home_organization", MAX_HOME_ORGANIZATION_LENGTH, problems):
            values["home_organization_name"] = raw
        if raw := cell(row, "joined_on"):
            try:
                values["joined_on"] = dt.date.fromisoformat(raw[:10] if len(raw) > 10 else raw)
            except ValueError:
                problems.error("joined_on", _("Give a date as YYYY-MM-DD."))
        if (raw := cell(row, "mobile")) and (value := _parse_bool(raw, problems)) is not None:
            values["is_mobile"] = value
        if problems.errors:
            errors += [RowError(number, key, c, m) for c, m in problems.errors]
        else:
            parsed.append(_Parsed(number, key, values, problems.warnings))
    return parsed, errors


def _write_members(*, actor: Any, parsed: list[_Parsed], now: dt.datetime) -> _ChunkResult:
    result = _ChunkResult()
    if not parsed:
        return result
    existing = {
        m.member_id: m for m in PartyMember.objects.filter(member_id__in=[p.key for p in parsed])
    }
    if existing and not _unrestricted(actor):
        seen_ids = set(
            scoping.restrict(
                PartyMember.objects.filter(pk__in=[m.pk for m in existing.values()]), actor
            ).values_list("pk", flat=True)
        )
    else:
        seen_ids = {m.pk for m in existing.values()}
    indexes = {
        blind_index(p.values["id_number"], kind=RESIDENT_ID): p.key
        for p in parsed
        if "id_number" in p.values
    }
    id_holders = dict(
        PartyMember.objects.filter(id_number_index__in=list(indexes)).values_list(
            "id_number_index", "member_id"
        )
    )
    creates: list[tuple[_Parsed, PartyMember]] = []
    changed: list[tuple[_Parsed, PartyMember]] = []
    unchanged: list[tuple[_Parsed, PartyMember]] = []
    changed_fields: set[str] = set()
    for item in parsed:
        member = existing.get(item.key)
        if member is not None and member.pk not in seen_ids:
            result.errors.append(
                RowError(
                    item.row,
                    item.key,
                    "member_id",
                    _("This member is outside your scope; it cannot be changed."),
                )
            )
            continue
        if "id_number" in item.values:
            holder = id_holders.get(blind_index(item.values["id_number"], kind=RESIDENT_ID))
            if holder is not None and holder != item.key:
                result.errors.append(
                    RowError(
                        item.row,
                        item.key,
                        "id_number",
                        _("Another party member already has this ID number."),
                    )
                )
                continue
        if member is None:
            if not item.values.get("name"):
                result.errors.append(
                    RowError(item.row, item.key, "name", _("A new member needs a name."))
                )
                continue
            member = PartyMember(member_id=item.key, identity_changed_at=now)
            before = None
        else:
            before = {name: getattr(member, name) for name in _MEMBER_COMPARED}
        for name, value in item.values.items():
            setattr(member, name, value)
        member.derive_probation()
        member.derive_identity()
        try:
            member.clean()
        except ValidationError as exc:
            result.errors += [
                RowError(item.row, item.key, c, m)
                for c, m in _model_errors(exc, _MEMBER_COLUMN_OF, "member_id")
            ]
            continue
        result.warnings += [RowError(item.row, item.key, c, m) for c, m in item.warnings]
        if before is None:
            creates.append((item, member))  # bulk_create's pre_save sets the blind indexes
            continue
        set_indexes(member)
        diff = {name for name in _MEMBER_COMPARED if getattr(member, name) != before[name]}
        if not diff:
            unchanged.append((item, member))
            continue
        if diff & _MEMBER_MATCH_COMPARED:
            member.identity_changed_at = now
            changed_fields.add("identity_changed_at")
        for name in diff:
            changed_fields.update(_WORKER_WRITES.get(name, (name.removesuffix("_id"),)))
        member.updated_at = now
        changed.append((item, member))
    if creates:
        PartyMember.objects.bulk_create([m for _, m in creates], batch_size=BATCH_SIZE)
    if changed:
        update_rows(PartyMember, [m for _, m in changed], sorted(changed_fields | {"updated_at"}))
    for action, items in (("created", creates), ("updated", changed), ("unchanged", unchanged)):
        for item, member in items:
            result.actions.append((item.row, item.key, action))
            if action != "unchanged":
                result.written[item.row] = member.pk
    return result
