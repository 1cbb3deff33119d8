"""The browser face of training: the course menu and the other catalogue lists, classes with
their sessions and enrollments, the session check-in page, learning records, party lessons,
outreach events, designations and the statistics page (ECharts and an xlsx export).

Every list is a :class:`~organizations.scoped.ColumnsListView` (scoped, filtered by the same
FilterSet as the API, paginated, its table the export's columns); out-of-scope pages answer
404. One module a page family: ``base`` (the shared list page), ``catalogue``, ``classes``,
``check_in``, ``records``, ``activities``, ``stats``.
"""

from .activities import designation_list, lesson_list, outreach_list
from .catalogue import course_list, lecturer_list, resource_list, site_list
from .check_in import session_check_in, session_new_code
from .classes import class_detail, class_list
from .records import member_record, worker_record
from .stats import stats

__all__ = [
    "class_detail",
    "class_list",
    "course_list",
    "designation_list",
    "lecturer_list",
    "lesson_list",
    "member_record",
    "outreach_list",
    "resource_list",
    "session_check_in",
    "session_new_code",
    "site_list",
    "stats",
    "worker_record",
]
