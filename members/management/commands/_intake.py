"""What ``import_workers`` and ``import_members`` share: reading the file, the actor, the
printed report. Exit status 0 whenever the file was read (rejected rows included); non-zero
only when the file cannot be read, its header is wrong, or an option is wrong."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.commands import OperatorCommand
from members.intake_files import RosterFile, RosterFileError, read_roster
from members.services.intake import SYSTEM, IntakeReport


class IntakeCommand(OperatorCommand, BaseCommand):
    columns: tuple[str, ...] = ()
    # An import is one transaction: a database failure half-way leaves nothing behind.
    database_failure_hint = (
        "Nothing was written (an import is one transaction); run the same command with the "
        "same file again once the database is back."
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

    def read(self, path: str) -> RosterFile:
        file = Path(path)
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
        try:
            roster = read_roster(content, file.name, self.columns)
        except RosterFileError as exc:
            raise CommandError(str(exc)) from None
        if roster.ignored_columns:
            self.stderr.write(f"Ignored columns: {', '.join(roster.ignored_columns)}")
        return roster

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
