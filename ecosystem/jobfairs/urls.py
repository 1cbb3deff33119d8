"""Portal routes of the job fairs, mounted by ``portal.urls`` at ``/ecosystem/jobfairs/``."""

from django.urls import path

from . import views

app_name = "ecosystem_jobfairs"
urlpatterns = [
    path("", views.fair_list, name="list"),
    path("<int:pk>/", views.fair_detail, name="detail"),
    path("positions/", views.position_list, name="positions"),
    path("applications/", views.application_list, name="applications"),
    path("stats/", views.stats, name="stats"),
]
