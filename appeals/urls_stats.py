"""The statistics of appeals, mounted at ``/appeals/stats/``."""

from django.urls import path

from . import views_stats

app_name = "appeals_stats"

urlpatterns = [path("", views_stats.stats, name="stats")]
