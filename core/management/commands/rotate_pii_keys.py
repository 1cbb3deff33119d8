"""``python manage.py rotate_pii_keys``: re-encrypt and re-index every protected value under
the first key of ``PORTAL_PII_KEYS`` (core.pii_rotation), in batches, resumable."""

from django.core.management.base import BaseCommand, CommandError

from core.commands import OperatorCommand
from core.pii_rotation import UndecryptableValue, rotate


class Command(OperatorCommand, BaseCommand):
    help = (
        "Re-encrypt and re-index protected personal data under the first key of "
        "PORTAL_PII_KEYS. Resumable: a stopped run continues where it was."
    )
    database_failure_hint = "Batches done so far are kept; run the same command again to continue."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")
        parser.add_argument(
            "--max-batches",
            type=int,
            default=None,
            help="Stop after this many batches (continue later with another run).",
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            job = rotate(
                actor="manage.py rotate_pii_keys",
                batch_size=options["batch_size"],
                max_batches=options["max_batches"],
                report=self.stdout.write,
            )
        except UndecryptableValue as exc:
            raise CommandError(str(exc)) from exc
        rows = job.result.get("rows", 0)
        if job.status == "succeeded":
            self.stdout.write(f"Done: {rows} rows under the first key (job {job.pk}).")
        else:
            self.stdout.write(f"Stopped after {rows} rows (job {job.pk}); run again to continue.")
