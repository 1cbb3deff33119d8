"""The public door for workers, mounted at ``/appeals/public/`` (no login)."""

from django.urls import path

from . import views_public

app_name = "appeals_public"

urlpatterns = [
    path("", views_public.file, name="file"),
    path("filed/", views_public.filed, name="filed"),
    path("follow/", views_public.follow, name="follow"),
    path("follow/status/", views_public.status, name="status"),
    path("follow/visit/", views_public.visit, name="visit"),
]
