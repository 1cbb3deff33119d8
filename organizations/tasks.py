from celery import shared_task

from core.context import request_context
from core.jobs import job_fail, job_finish, job_start
from core.models import JobRun


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def refresh_coverage_modes(self, job_id: int | None = None) -> dict:
    """Recompute every enterprise's coverage mode; safe to run twice."""
    from .services import enterprises_refresh_coverage

    job = JobRun.objects.filter(pk=job_id).first() if job_id else None
    with request_context(f"task-{self.request.id}" if self.request.id else None):
        if job:
            job_start(job)
        try:
            updated = enterprises_refresh_coverage()
        except Exception as exc:
            if job:
                job_fail(job, error=repr(exc))
            raise
        result = {"enterprises": updated}
        if job:
            job_finish(job, result=result)
    return result
