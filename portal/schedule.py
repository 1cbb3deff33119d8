"""What Celery beat runs when: the nightly jobs, the scans and the watchdog. Pure data, read
by ``portal.settings`` (each task's module says what it does)."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "refresh-coverage-modes-nightly": {
        "task": "organizations.tasks.refresh_coverage_modes",
        "schedule": crontab(hour=1, minute=30),
    },
    # The two finds: any roster change queues a run by itself; this one catches the rest.
    "two-finds-nightly": {
        "task": "members.tasks.two_finds_nightly",
        "schedule": crontab(hour=3, minute=0),
    },
    "expire-transfer-letters-nightly": {
        "task": "members.tasks.expire_transfer_letters",
        "schedule": crontab(hour=0, minute=15),
    },
    # After the coverage modes are refreshed: the day's coverage snapshot (coverage app).
    "coverage-rollup-nightly": {
        "task": "coverage.tasks.rollup_day",
        "schedule": crontab(hour=2, minute=0),
    },
    # Grid: tasks whose window ended expire; yearly points expiry (GRID_POINTS_EXPIRY_YEARS).
    "grid-expire-tasks": {"task": "grid.tasks.expire_tasks", "schedule": 600.0},
    "grid-expire-points": {
        "task": "grid.tasks.expire_points",
        "schedule": crontab(day_of_month=1, month_of_year=1, hour=0, minute=30),
    },
    # Jobs whose worker vanished are sent again or failed; beat notes itself alive.
    "jobs-watchdog": {
        "task": "core.jobs.tasks.watchdog",
        "schedule": 60.0,
    },
    # Appeals: the coming year's holidays from chinese-calendar (appeals.W001 warns until
    # they are in), tried on the 1st of November, December and January.
    "appeals-import-next-year-holidays": {
        "task": "appeals.tasks.import_next_year_holidays",
        "schedule": crontab(day_of_month=1, month_of_year="1,11,12", hour=3, minute=10),
    },
    # Personal information removed once past the period the public notices state.
    "appeals-anonymize-past-retention": {
        "task": "appeals.tasks.anonymize_past_retention",
        "schedule": crontab(hour=4, minute=20),
    },
    "members-anonymize-past-retention": {
        "task": "members.tasks.anonymize_past_retention",
        "schedule": crontab(hour=4, minute=30),
    },
    # Appeals: overdue steps escalate one level (a scan over due times, no long ETAs).
    "appeals-escalate-overdue": {
        "task": "appeals.tasks.escalate_overdue",
        "schedule": crontab(minute="*/5"),
    },
    # Task force: open tasks past their due date and grace (working days) go to the lead.
    "taskforce-escalate-overdue": {
        "task": "taskforce.tasks.escalate_overdue_tasks",
        "schedule": crontab(minute="*/15"),
    },
    # Ecosystem: whistles a department did not report or resolve in time escalate (same scan).
    "ecosystem-escalate-overdue-whistles": {
        "task": "ecosystem.tasks.escalate_overdue_whistles",
        "schedule": crontab(minute="*/5"),
    },
}
