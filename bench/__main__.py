"""``python -m bench [--small] [names...]``: run the benchmarks and print one table.

Each benchmark module exposes ``run(small: bool) -> list[Row]``. They run in a throwaway test
database (SQLite in memory, or ``test_<name>`` on PostgreSQL when ``DATABASE_URL`` is set).
"""

import argparse
import importlib
import os
import sys
import time

BENCHMARKS = [
    "bench.scope",
    "bench.intake",
    "bench.two_finds",
    "bench.stations",
    "bench.coverage",
    "bench.api",
    "bench.branchlife",
    "bench.grid",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--small", action="store_true", help="tiny sizes, to prove they run")
    parser.add_argument("names", nargs="*", help="benchmark modules (default: all)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import (
        override_settings,
        setup_databases,
        setup_test_environment,
        teardown_databases,
    )

    from bench.common import print_table

    # Each step a user runs is timed on its own (an import, then run_two_finds). The matching
    # run an intake queues after its commit (members.services.two_finds.auto) would otherwise
    # run inside the import's time (eager Celery) or do the timed job's work beforehand (a
    # real worker), and the timed run_two_finds would find nothing left to match.
    override_settings(TWO_FINDS_AUTO=False).enable()

    names = [n if n.startswith("bench.") else f"bench.{n}" for n in args.names] or BENCHMARKS
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    rows = []
    failed = False
    try:
        for index, name in enumerate(names):
            if index:
                # Each benchmark builds its own world (several use the same division codes).
                call_command("flush", interactive=False, verbosity=0)
            started = time.perf_counter()
            module = importlib.import_module(name)
            result = module.run(small=args.small)
            rows.extend(result)
            failed |= any(r.passed is False for r in result)
            print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    finally:
        teardown_databases(old_config, verbosity=0)
    print_table(rows)
    # At small scale the targets do not apply; the run only proves the benchmarks work.
    return 1 if failed and not args.small else 0


if __name__ == "__main__":
    sys.exit(main())
