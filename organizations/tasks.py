from core.jobs import job_create
from core.jobs.tasks import job_task
from core.models import JobRun

REFRESH_KIND = "organizations.refresh_coverage_modes"


def _scheduled_refresh() -> JobRun:
    """Beat calls the refresh without a job: it records one so the nightly run shows too."""
    return job_create(actor=None, kind=REFRESH_KIND, parameters={"scheduled": True})


@job_task(create=_scheduled_refresh)
def refresh_coverage_modes(job: JobRun, *, task) -> dict:
    """Recompute every enterprise's coverage mode; safe to run twice."""
    from .services import enterprises_refresh_coverage

    return {"enterprises": enterprises_refresh_coverage()}
