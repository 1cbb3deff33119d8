"""The browser pages of the members app, mounted at ``/members/`` (app ``members``): the people
lists (``views.people``), the roster import (``views.roster_import``) and the two finds (the
report form, the review queue, the case page and the ledgers)."""

from django.urls import path

from .views import (
    cases,
    ledgers,
    mobile,
    people,
    report,
    review,
    roster_import,
    suspension,
    two_finds_run,
)

app_name = "members"
urlpatterns = [
    path("workers/", people.worker_list, name="worker_list"),
    path("", people.member_list, name="member_list"),
    path("<int:pk>/", people.member_detail, name="member_detail"),
    path("<int:pk>/suspend/", suspension.member_suspend_view, name="member_suspend"),
    path("suspension-due/", suspension.suspension_due, name="suspension_due"),
    path("<int:pk>/card/issue/", mobile.card_issue, name="card_issue"),
    path("<int:pk>/card/review/", mobile.card_review, name="card_review"),
    path("<int:pk>/letters/issue/", mobile.letter_issue_view, name="letter_issue"),
    path("letters/", mobile.letter_list, name="letters"),
    path("letters/<int:pk>/receive/", mobile.letter_receive_view, name="letter_receive"),
    path("letters/<int:pk>/return/", mobile.letter_return_view, name="letter_return"),
    path("import/", roster_import.roster_import, name="import"),
    path("report/", report.report, name="report"),
    path("report/done/", report.report_done, name="report_done"),
    path("review/", review.review_queue, name="review"),
    path("review/run/", two_finds_run.run_now, name="two_finds_run"),
    path("review/runs/<int:pk>/", two_finds_run.job_progress, name="two_finds_job"),
    path(
        "review/<int:pk>/confirm/",
        review.proposal_decide,
        {"decision": "confirm"},
        name="proposal_confirm",
    ),
    path(
        "review/<int:pk>/reject/",
        review.proposal_decide,
        {"decision": "reject"},
        name="proposal_reject",
    ),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/reveal-phone/", cases.case_reveal_phone, name="case_reveal_phone"),
    path("ledgers/baseline/", ledgers.baseline, name="baseline"),
    path("ledgers/tasks/", ledgers.tasks, name="tasks"),
    path("ledgers/progress/", ledgers.progress, name="progress"),
    path("to-verify/", ledgers.to_verify, name="to_verify"),
]
