"""``manage.py import_workers FILE.csv --source NAME [--user U] [--kind K] [--dry-run]``.

Columns (header row required, any order):
``external_id,name,id_number,phone,industry,enterprise_uscc,region_code,political_status,work_lat,work_lng``.
Prints rows read, created, updated, unchanged, rejected, then ``row N: column: reason`` for each
rejected row (N = line in the file, header = 1).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from members.choices import WorkerSourceKind
from members.services.intake import WORKER_COLUMNS, roster_upsert

from ._intake import IntakeCommand


class Command(IntakeCommand):
    help = (
        "Create or update workers from a roster file keyed by (source, external_id). Columns: "
        + ",".join(WORKER_COLUMNS)
        + ". Empty cells are allowed and never erase a known value."
    )
    columns = WORKER_COLUMNS

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--source", required=True, help="The roster's name, e.g. meituan.")
        parser.add_argument(
            "--kind",
            default=WorkerSourceKind.IMPORT,
            choices=WorkerSourceKind.values,
            help="Kind of source. Default: import.",
        )

    def handle(self, *args, file, source, kind, user, dry_run, **options):
        actor = self.actor(user)
        roster = self.read(file)
        try:
            with self.reading():
                report = roster_upsert(
                    actor=actor,
                    source=source,
                    source_kind=kind,
                    numbered_rows=self.numbered(roster),
                    dry_run=dry_run,
                    commit_chunks=True,
                    on_chunk=self.progress,
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.print_report(report, dry_run=dry_run)
