"""The public door for workers, mounted at ``/appeals/public/`` (no login)."""

from django.urls import path

from . import views

app_name = "appeals_public"

urlpatterns = [
    path("", views.file, name="file"),
    path("filed/", views.filed, name="filed"),
    path("follow/", views.follow, name="follow"),
    path("follow/status/", views.status, name="status"),
    path("follow/visit/", views.visit, name="visit"),
]
