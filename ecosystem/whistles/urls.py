"""Portal routes of the whistles, mounted by ``portal.urls`` at ``/ecosystem/whistles/``."""

from django.urls import path

from . import views

app_name = "ecosystem_whistles"
urlpatterns = [
    path("", views.whistle_list, name="list"),
    path("<int:pk>/", views.whistle_detail, name="detail"),
    path("<int:pk>/route/", views.whistle_route, name="route"),
    path("<int:pk>/close/", views.whistle_close, name="close"),
    path("assignments/<int:pk>/report/", views.assignment_report, name="report"),
    path("assignments/<int:pk>/resolve/", views.assignment_resolve, name="resolve"),
    path("stats/", views.stats, name="stats"),
    path("policies/", views.policy_list, name="policies"),
]
