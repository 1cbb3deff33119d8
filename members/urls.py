"""The browser pages of the members app, mounted at ``/members/`` (app ``members``): the people
lists (``views``) and the two finds (``views_finds``)."""

from django.urls import path

from . import views, views_finds, views_import

app_name = "members"
urlpatterns = [
    path("workers/", views.worker_list, name="worker_list"),
    path("", views.member_list, name="member_list"),
    path("<int:pk>/", views.member_detail, name="member_detail"),
    path("import/", views_import.roster_import, name="import"),
    path("report/", views_finds.report, name="report"),
    path("report/done/", views_finds.report_done, name="report_done"),
    path("review/", views_finds.review_queue, name="review"),
    path(
        "review/<int:pk>/confirm/",
        views_finds.proposal_decide,
        {"decision": "confirm"},
        name="proposal_confirm",
    ),
    path(
        "review/<int:pk>/reject/",
        views_finds.proposal_decide,
        {"decision": "reject"},
        name="proposal_reject",
    ),
    path("cases/<int:pk>/", views_finds.case_detail, name="case_detail"),
    path("ledgers/baseline/", views_finds.baseline, name="baseline"),
    path("ledgers/tasks/", views_finds.tasks, name="tasks"),
    path("ledgers/progress/", views_finds.progress, name="progress"),
    path("to-verify/", views_finds.to_verify, name="to_verify"),
]
