"""What ``import_workers`` and ``import_members`` share: streaming the file, the actor, the
progress and the printed report. Exit status 0 whenever the file was read (rejected rows
included); non-zero only when the file cannot be read, its header is wrong, or an option is
wrong. A file of any size is read row by row and written chunk by chunk (each chunk commits;
the job run shows the progress)."""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.commands import OperatorCommand
from members.intake_files import RosterFileError, RosterStream, stream_roster
from members.services.intake import SYSTEM, IntakeReport


class IntakeCommand(OperatorCommand, BaseCommand):
    columns: tuple[str, ...] = ()
    # A file commits chunk by chunk: a database failure half-way keeps the chunks before it.
    # Rows already imported are recognised by their hash on a second run and cost no write.
    database_failure_hint = (
        "The chunks before the failure were committed, the rest was not; run the same command "
        "with the same file again once the database is back (rows already imported are "
        "recognised and not written twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8, with or without BOM) or .xlsx file.")
        parser.add_argument(
            "--user",
            help="Act as this user, within their scope. Default: the city-wide system actor.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report without writing anything.",
        )

    def actor(self, username: str | None):
        if not username:
            return SYSTEM
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user {username!r}.") from None

    def read(self, path: str) -> RosterStream:
        try:
            roster = stream_roster(path, self.columns, ordered=True)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
        except RosterFileError as exc:
            raise CommandError(str(exc)) from None
        if roster.ignored_columns:
            self.stderr.write(f"Ignored columns: {', '.join(roster.ignored_columns)}")
        return roster

    def numbered(self, roster: RosterStream):
        """The ``(row number, row)`` pairs, read as they are used (a file that turns out to
        be unreadable half-way raises ``RosterFileError``: see :meth:`reading`)."""
        return roster.rows

    @contextmanager
    def reading(self):
        """Around the intake of a stream: a file unreadable half-way is a command error."""
        try:
            yield
        except RosterFileError as exc:
            raise CommandError(str(exc)) from None

    def progress(self, report: IntakeReport) -> None:
        self.stderr.write(f"  {report.read} rows")

    def print_report(self, report: IntakeReport, *, dry_run: bool) -> None:
        out = self.stdout
        if dry_run:
            out.write(_("Dry run: nothing was written."))
        out.write(f"rows read: {report.read}")
        out.write(f"created: {report.created}")
        out.write(f"updated: {report.updated}")
        out.write(f"unchanged: {report.unchanged}")
        out.write(f"rejected: {report.rejected}")
        for error in report.errors:
            out.write(f"row {error.row}: {error.field}: {error.message}")
        for warning in report.warnings:
            out.write(f"warning: row {warning.row}: {warning.field}: {warning.message}")
