"""``manage.py seed_demo [--scale city|province] [--seed N] [--port P]``: the demo data.

Area by area (:mod:`demo.seed`): a missing area is written in its own transaction, an area
already present is kept, so a failed run is completed by the next one. Every run draws new
passwords for the demo logins and a new partner API key (the old one is revoked) and prints
them. Refuses to run with ``DEBUG`` off unless ``--allow-production-database`` is given."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.logins import format_logins
from demo.seed import DEFAULT_SEED, SCALES, SeedError, seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo data for a Changzhou-like city, area by area (areas already present are "
        "kept), then print the demo logins with new random passwords and a new partner API key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            default="city",
            choices=SCALES,
            help="city (≈500 enterprises, through the services) or province (≈100,000 "
            "enterprises in 13 cities, bulk-loaded). Default: city.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same data. Default: {DEFAULT_SEED}.",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help="The port the portal is served on, for the example request printed. "
            "Default: 8000.",
        )
        parser.add_argument(
            "--allow-production-database",
            action="store_true",
            help="Run even though DEBUG is off. Demo data and logins in a production database "
            "are a mistake; this flag exists for staging copies only.",
        )

    def handle(self, *args, scale: str, seed: int, port: int, **options):
        if not settings.DEBUG and not options["allow_production_database"]:
            raise CommandError(
                "DEBUG is off, so this looks like a production database: seed_demo refuses to "
                "write demo data and demo logins into it. Run it with DEBUG=1 (make demo does), "
                "or pass --allow-production-database for a staging copy."
            )
        out = self.stdout
        out.write(f"Seeding the demo (scale {scale}, seed {seed}), area by area:")
        try:
            report = seed_demo(scale=scale, seed=seed, log=out.write)
        except SeedError as exc:
            raise CommandError(
                f"The demo area {exc.area!r} failed and was rolled back ({exc}). The areas "
                "before it are kept; run seed_demo again to complete the missing ones."
            ) from exc
        if report.seeded:
            out.write(
                self.style.SUCCESS(
                    f"Demo data written in {report.seconds:.1f} s: {', '.join(report.seeded)}"
                    + (f" (kept: {', '.join(report.skipped)})" if report.skipped else "")
                )
            )
        else:
            out.write(
                self.style.SUCCESS(
                    "Every demo area is already present; nothing was added. The demo logins "
                    "were given new passwords and a new partner API key."
                )
            )
        out.write("  " + ", ".join(f"{name} {n:,}" for name, n in report.counts.items()))
        out.write("")
        out.write(format_logins(report.logins, report.api_key, port=port))
