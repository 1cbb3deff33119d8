from celery import shared_task

from core.context import request_context
from core.jobs import job_fail, job_finish, job_start
from core.models import JobRun


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def run_service_circle(self, job_id: int) -> dict:
    """Run the service circle for a queued job; running it twice replaces the job's rows."""
    from .services import service_circle_run

    job = JobRun.objects.get(pk=job_id)
    with request_context(f"task-{self.request.id}" if self.request.id else None):
        job_start(job, total=4)
        try:
            result = service_circle_run(job=job)
        except Exception as exc:
            job_fail(job, error=repr(exc))
            raise
        job_finish(job, result=result)
    return result
