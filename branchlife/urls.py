from django.urls import path

from . import views

app_name = "branchlife"
urlpatterns = [
    path("", views.compliance, name="compliance"),
    path("branches/<int:pk>/", views.calendar, name="calendar"),
    path("meetings/<int:pk>/", views.meeting_roll, name="meeting"),
    path("dues/", views.dues, name="dues"),
    path("dues/<int:pk>/", views.ledger, name="ledger"),
    path("flags/", views.flags, name="flags"),
    path("terms/", views.terms, name="terms"),
]
