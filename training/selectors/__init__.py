"""Reads for training. Every function takes the acting user and returns what that user may see
(``organizations.scoping``); the catalogue is the same for every signed-in user.

The statistics are SQL GROUP BY queries (one per measure and dimension), never a loop over
rows, so the page costs the same whatever the year holds.
"""

from .querysets import (
    attendances_for,
    check_in_worker,
    check_in_workers,
    classes_for,
    courses_for,
    designations_for,
    enrollable_classes,
    enrollments_for,
    lecturers_for,
    lessons_for,
    outreach_for,
    packs_for,
    progress_for,
    resources_for,
    sessions_for,
    sites_for,
)
from .records import (
    LearningRecord,
    member_record,
    openable_workers,
    worker_record,
)
from .stats import (
    DISTRICT_PATH_LENGTH,
    FIGURE_KEYS,
    MEASURES,
    Statistics,
    dashboard_figures,
    measure_labels,
    statistics,
    year_totals,
)

__all__ = [
    "DISTRICT_PATH_LENGTH",
    "FIGURE_KEYS",
    "MEASURES",
    "LearningRecord",
    "Statistics",
    "attendances_for",
    "check_in_worker",
    "check_in_workers",
    "classes_for",
    "courses_for",
    "dashboard_figures",
    "designations_for",
    "enrollable_classes",
    "enrollments_for",
    "lecturers_for",
    "lessons_for",
    "measure_labels",
    "member_record",
    "openable_workers",
    "outreach_for",
    "packs_for",
    "progress_for",
    "resources_for",
    "sessions_for",
    "sites_for",
    "statistics",
    "worker_record",
    "year_totals",
]
