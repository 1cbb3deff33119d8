"""``python manage.py run_two_finds [--wait]``: queue the two-finds matching job."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.choices import JobStatus
from core.commands import OperatorCommand
from core.models import JobRun
from members.services.two_finds import RESULT_COUNTS, two_finds_queue

FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Command(OperatorCommand, BaseCommand):
    help = (
        "Queue the two-finds job (the organization finds members: workers matched against the "
        "party-member roster). Prints the job id; with --wait, waits for it and prints the "
        "summary."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait", action="store_true", help="Wait until the job finishes; print its summary."
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=3600.0,
            help="Seconds to wait with --wait before giving up (the job keeps running).",
        )
        parser.add_argument(
            "--user", help="Username the job is recorded under (default: the command itself)."
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            help="Workers per chunk (default: the TWO_FINDS_CHUNK_SIZE setting); chunks run in "
            "parallel on the Celery workers.",
        )

    def handle(self, *args, **options):
        actor = "manage.py run_two_finds"
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user named {options['user']!r}.")
        job = two_finds_queue(actor=actor, chunk_size=options["chunk_size"])
        job.refresh_from_db()
        if job.status == JobStatus.FAILED:  # the queue refused it (core.jobs): say so now
            raise CommandError(f"two-finds job {job.pk} failed: {job.error}")
        self.stdout.write(f"two-finds job {job.pk} queued")
        if not options["wait"]:
            return
        job = self._wait(job, options["timeout"])
        if job.status == JobStatus.FAILED:
            raise CommandError(f"two-finds job {job.pk} failed: {job.error}")
        self.stdout.write(f"two-finds job {job.pk} {job.status}")
        summary = job.result or {}
        keys = [*RESULT_COUNTS, "members_read", "members_pending", "chunks", "seconds"]
        for key in [k for k in keys if k in summary] + sorted(set(summary) - set(keys)):
            self.stdout.write(f"  {key}: {summary[key]}")

    def _wait(self, job: JobRun, timeout: float) -> JobRun:
        deadline = time.monotonic() + timeout
        last = None
        while True:
            job.refresh_from_db()
            if job.status in FINISHED:
                return job
            if time.monotonic() > deadline:
                raise CommandError(
                    f"two-finds job {job.pk} still {job.status} after {timeout:.0f} s "
                    f"({job.progress_done}/{job.progress_total} workers)."
                )
            if job.progress_done != last:
                last = job.progress_done
                self.stderr.write(f"  {job.progress_done}/{job.progress_total} workers")
            time.sleep(0.2)
