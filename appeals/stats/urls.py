"""The statistics of appeals, mounted at ``/appeals/stats/``."""

from django.urls import path

from . import views

app_name = "appeals_stats"

urlpatterns = [path("", views.stats, name="stats")]
