"""``manage.py seed_demo [--scale city|province] [--seed N]``: deterministic demo data.

It lives in ``portal`` because it loads every app's demo data in dependency order (organizations,
then members, ...), and only ``portal`` may import them all."""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.context import request_context
from members import demo as members_demo
from organizations import demo


class Command(BaseCommand):
    help = (
        "Create deterministic demo data (regions, departments, industries, party organizations, "
        "enterprises, instructors) and the demo logins. If the demo city already exists, nothing "
        "is changed except that the logins are renewed and printed with a fresh partner API key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            default="city",
            help="city (≈500 enterprises, through the services) or province (≈100,000 "
            "enterprises in 13 cities, bulk-loaded). Default: city.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same data. Default: {demo.DEFAULT_SEED}.",
        )

    def handle(self, *args, scale: str, seed: int, **options):
        if scale not in demo.SCALES:
            raise CommandError("--scale must be city or province.")
        result = demo.seed_demo(scale=scale, seed=seed)
        people = None
        if result.created:
            with request_context(), transaction.atomic():
                people = members_demo.seed_people(
                    actor=demo.ensure_staff_user(), scale=scale, seed=seed
                )
        out = self.stdout
        counts = result.counts
        if result.created:
            out.write(
                self.style.SUCCESS(
                    f"Demo data created (scale {result.scale}, seed {result.seed}) "
                    f"in {result.seconds:.1f} s."
                )
            )
        else:
            out.write(
                self.style.WARNING(
                    f"Demo data is already present (region {demo.CITY_CODE} exists); nothing "
                    "was added. The demo logins were renewed and a fresh API key was created."
                )
            )
        out.write(
            f"  regions {counts['regions']}, party organizations {counts['organizations']}, "
            f"enterprises {counts['enterprises']} (closed {counts['closed']}), "
            f"instructors {counts['instructors']}, open assignments "
            f"{counts['open_assignments']}, {demo.EVALUATION_YEAR} evaluations "
            f"{counts['evaluations']}"
        )
        out.write(
            "  coverage: " + " · ".join(f"{mode} {n}" for mode, n in counts["coverage"].items())
        )
        if people is not None:
            found = people.matching
            out.write(
                f"  workers {people.workers}, party members {people.members} (rejected roster "
                f"rows {people.rejected_rows}); two finds: {found.get('auto_accepted', 0)} "
                f"accepted, {found.get('review', 0)} to review; cases "
                + " · ".join(f"{status} {n}" for status, n in sorted(people.cases.items()))
                + f"; member reports {people.claims}"
            )
        if result.created:
            self._seed_stations(scale, seed)
            self._seed_training(scale, seed)
            self._seed_appeals(scale, seed)
            self._seed_assistance(scale, seed)
            self._coverage_history()  # last: it reads every other app's data
        out.write("")
        out.write(demo.format_logins(result.logins, result.api_key))

    def _seed_stations(self, scale: str, seed: int) -> None:
        """Stations, cabinets, check-ins, work locations and one service-circle run."""
        from core.context import request_context
        from stations.demo import seed_stations

        with request_context():
            r = seed_stations(actor=demo.ensure_staff_user(), scale=scale, seed=seed)
        self.stdout.write(
            f"  stations {r.stations} (6+X compliant {r.compliant}), medicine cabinets "
            f"{r.cabinets} (low-stock items {r.low_stock}), check-ins {r.check_ins}, workers "
            f"located {r.workers_located}; service circle: {r.circle['covered']} of "
            f"{r.circle['workers']} workers within {r.circle['radius_m']} m, "
            f"{r.circle['hot_spot_cells']} uncovered cells, {r.circle['suggested_sites']} "
            "suggested sites"
        )

    def _seed_training(self, scale: str, seed: int) -> None:
        """Lecturers, the course menu, a year of classes with attendance, party lessons,
        outreach events, resources, education sites and pioneer designations."""
        from training.demo import seed_training

        with request_context():
            r = seed_training(actor=demo.ensure_staff_user(), scale=scale, seed=seed)
        self.stdout.write(
            f"  training: lecturers {r.lecturers}, courses {r.courses}, classes {r.classes}, "
            f"sessions {r.sessions}, enrollments {r.enrollments} (completed {r.completed}), "
            f"person-times {r.person_times}, party lessons {r.party_lessons}, outreach events "
            f"{r.outreach_events}, education sites {r.sites}, resources {r.resources}, "
            f"pioneer designations {r.designations}"
        )

    def _seed_appeals(self, scale: str, seed: int) -> None:
        """Appeals through the real workflow, some overdue and escalated, a hot spot."""
        from appeals.demo import seed_appeals
        from core.context import request_context

        with request_context():
            r = seed_appeals(actor=demo.ensure_staff_user(), scale=scale, seed=seed)
        self.stdout.write(
            f"  appeals {r.appeals} ("
            + " · ".join(f"{status} {n}" for status, n in sorted(r.by_status.items()))
            + f"), overdue {r.overdue}, hot spots {r.hotspots}, merged duplicates {r.merged}"
        )

    def _seed_assistance(self, scale: str, seed: int) -> None:
        """The 10-million-yuan special party-fee fund and its disbursements."""
        from appeals.demo_assistance import seed_assistance

        with request_context():
            r = seed_assistance(actor=demo.ensure_staff_user(), scale=scale, seed=seed)
        self.stdout.write(
            f"  assistance: funds {r.funds}, disbursements {r.disbursements}, "
            f"{r.disbursed:,.2f} yuan and {r.boxes_given} boxes of fever tablets given"
        )

    def _coverage_history(self) -> None:
        """Last step, after every other app's demo data: the dashboard opens with today's
        coverage snapshot and a year of month-end snapshots for its trend chart. Called by
        command name, since organizations does not import the coverage app."""
        if not apps.is_installed("coverage"):
            return
        demo.backdate_enterprises()
        call_command("coverage_rollup", backfill_months=12, stdout=self.stdout)
