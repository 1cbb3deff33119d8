from django.urls import path

from . import views

app_name = "recruitment"
urlpatterns = [
    path("", views.board, name="board"),
    path("candidates/", views.candidate_list, name="candidate_list"),
    path("candidates/new/", views.candidate_new, name="candidate_new"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("overdue/", views.overdue, name="overdue"),
    path("leads/", views.leads, name="leads"),
]
