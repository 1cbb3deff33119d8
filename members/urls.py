"""The browser pages of the two finds, mounted at ``/members/`` (app ``members``)."""

from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/done/", views.report_done, name="report_done"),
    path("review/", views.review_queue, name="review"),
    path(
        "review/<int:pk>/confirm/",
        views.proposal_decide,
        {"decision": "confirm"},
        name="proposal_confirm",
    ),
    path(
        "review/<int:pk>/reject/",
        views.proposal_decide,
        {"decision": "reject"},
        name="proposal_reject",
    ),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("ledgers/baseline/", views.baseline, name="baseline"),
    path("ledgers/tasks/", views.tasks, name="tasks"),
    path("ledgers/progress/", views.progress, name="progress"),
    path("to-verify/", views.to_verify, name="to_verify"),
]
