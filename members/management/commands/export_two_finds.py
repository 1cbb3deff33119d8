"""``python manage.py export_two_finds FILE.csv|FILE.xlsx``: every proposed or decided match."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.commands import OperatorCommand
from core.exports import ExportInfo, SafeCsvWriter, xlsx_bytes
from core.pii import display, record_export
from members.choices import ProposalStatus
from members.models import MatchProposal
from organizations.scoping import visible

HEADERS = (
    "worker_source",
    "worker_external_id",
    "member_id",
    "score",
    "rule",
    "status",
    "worker_name",
    "member_name",
    "worker_id_number_masked",
    "member_id_number_masked",
    "worker_phone_masked",
    "member_phone_masked",
)
#: What the access-log row says was exported (masked identity fields included).
EXPORTED_FIELDS = ("worker", "member", "score", "rule", "status", "id_number", "phone")


def export_rows(proposals):
    """One row per proposal; ID numbers and phones masked (never in clear)."""
    for p in proposals.iterator(chunk_size=2_000):
        w, m = p.worker, p.member
        yield (
            w.source,
            w.external_id,
            m.member_id,
            round(p.score, 2),
            p.rule,
            p.status,
            w.name,
            m.name,
            display(w, "id_number"),
            display(m, "id_number"),
            display(w, "phone"),
            display(m, "phone"),
        )


class Command(OperatorCommand, BaseCommand):
    help = (
        "Export every proposed or decided two-finds match (one row per worker × member pair) "
        "to FILE.csv or FILE.xlsx, the format following the extension. ID numbers and phones "
        "are masked; the export is written to the personal-data access log."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Output path ending in .csv or .xlsx")
        parser.add_argument(
            "--status",
            action="append",
            choices=ProposalStatus.values,
            help="Only proposals with this status (repeatable).",
        )
        parser.add_argument(
            "--user",
            help="Export as this user: only what their scope shows; logged under their name.",
        )
        parser.add_argument("--reason", default="", help="Why (recorded in the access log).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        kind = path.suffix.lower()
        if kind not in (".csv", ".xlsx"):
            raise CommandError("The file name must end in .csv or .xlsx.")
        actor = "manage.py export_two_finds"
        proposals = MatchProposal.objects.all()
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user named {options['user']!r}.")
            proposals = visible(MatchProposal, actor)
        if options["status"]:
            proposals = proposals.filter(status__in=options["status"])
        proposals = proposals.select_related("worker", "member").order_by("-score", "id")
        with transaction.atomic():
            rows = list(export_rows(proposals))
            if kind == ".csv":
                with path.open("w", newline="", encoding="utf-8-sig") as handle:
                    writer = SafeCsvWriter(handle)
                    writer.writerow(HEADERS)
                    writer.writerows(rows)
            else:
                info = ExportInfo(
                    exported_by=options["user"] or actor,
                    filters=tuple(("status", s) for s in options["status"] or ()),
                )
                path.write_bytes(xlsx_bytes(HEADERS, rows, title="two_finds", info=info))
            record_export(
                actor=actor,
                model=MatchProposal,
                fields=EXPORTED_FIELDS,
                row_count=len(rows),
                reason=options["reason"],
            )
        self.stdout.write(f"{len(rows)} rows written to {path}")
