"""``manage.py import_members FILE.csv [--user U] [--dry-run]``.

Columns (header row required, any order):
``member_id,name,id_number,phone,status,organization_code,home_organization,joined_on,mobile``.
Prints rows read, created, updated, unchanged, rejected, then ``row N: column: reason`` for each
rejected row (N = line in the file, header = 1).
"""

from members.services.intake import MEMBER_COLUMNS, member_roster_upsert

from ._intake import IntakeCommand


class Command(IntakeCommand):
    help = (
        "Create or update party members from a roster file keyed by member_id. Columns: "
        + ",".join(MEMBER_COLUMNS)
        + ". status is full or probationary, joined_on YYYY-MM-DD, mobile true or false."
    )
    columns = MEMBER_COLUMNS

    def handle(self, *args, file, user, dry_run, **options):
        actor = self.actor(user)
        roster = self.read(file)
        with self.reading():
            report = member_roster_upsert(
                actor=actor,
                numbered_rows=self.numbered(roster),
                dry_run=dry_run,
                commit_chunks=True,
                on_chunk=self.progress,
            )
        self.print_report(report, dry_run=dry_run)
