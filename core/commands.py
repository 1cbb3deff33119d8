"""Management commands that fail like a tool an operator can act on: one line saying what went
wrong and what to do, never a 135-line traceback (``--traceback`` still shows it).

A command mixes in :class:`OperatorCommand` and says what a database failure means for it::

    class Command(OperatorCommand, BaseCommand):
        database_failure_hint = "Nothing was written; run the same command again."
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError

from .context import request_context

DEFAULT_DATABASE_HINT = (
    "The command stopped; check that the database is reachable, then run it again."
)
BROKER_HINT = (
    "The task queue (Redis) did not answer; check that Redis is running, then run the "
    "command again."
)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class OperatorCommand:
    """Turns a database or broker failure into a one-line ``CommandError`` (exit status 1).

    Operator commands skip Django's system checks: they work on a deployed system, whose
    configuration ``manage.py check --deploy`` verifies when it is deployed (and the settings
    refuse to load without their keys). The checks import every view to check the URLs —
    0.8 s of each start of a command run from cron or a script, in a loop over files."""

    requires_system_checks: list[str] = []

    #: What a database failure in the middle of this command means, and what to do.
    database_failure_hint: str = DEFAULT_DATABASE_HINT

    def execute(self, *args, **options):
        with request_context():  # one request id for the command's audit events and logs
            return self._execute(*args, **options)

    def _execute(self, *args, **options):
        from core.jobs.services import broker_errors

        if options.get("traceback"):
            return super().execute(*args, **options)
        try:
            return super().execute(*args, **options)
        except CommandError:
            raise
        except (DatabaseError, InterfaceError) as exc:
            raise CommandError(
                f"Database error: {first_line(exc)}. {self.database_failure_hint}"
            ) from exc
        except broker_errors() as exc:
            raise CommandError(f"Task queue error: {first_line(exc)}. {BROKER_HINT}") from exc
