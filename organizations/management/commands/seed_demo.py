"""``manage.py seed_demo [--scale city|province] [--seed N]``: deterministic demo data."""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

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
        out = self.stdout
        if result.created:
            self._coverage_history()
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
        out.write("")
        out.write(demo.format_logins(result.logins, result.api_key))

    def _coverage_history(self) -> None:
        """Last step, after every other app's demo data: the dashboard opens with today's
        coverage snapshot and a year of month-end snapshots for its trend chart. Called by
        command name, since organizations does not import the coverage app."""
        if not apps.is_installed("coverage"):
            return
        demo.backdate_enterprises()
        call_command("coverage_rollup", backfill_months=12, stdout=self.stdout)
