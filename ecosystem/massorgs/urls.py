"""Portal routes of the mass organizations, mounted by ``portal.urls`` at
``/ecosystem/massorgs/``."""

from django.urls import path

from . import views

app_name = "ecosystem_massorgs"
urlpatterns = [
    path("", views.mass_organization_list, name="list"),
    path("projects/", views.project_list, name="projects"),
    path("mediation/", views.case_list, name="cases"),
    path("stats/", views.stats, name="stats"),
]
