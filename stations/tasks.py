from core.jobs.tasks import job_task
from core.models import JobRun


@job_task(total=4)
def run_service_circle(job: JobRun, *, task) -> dict:
    """Run the service circle for a queued job; running it twice replaces the job's rows."""
    from .services import service_circle_run

    return service_circle_run(job=job)
