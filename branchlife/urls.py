from django.urls import path

from . import views

app_name = "branchlife"
urlpatterns = [
    path("", views.compliance, name="compliance"),
    path("branches/<int:pk>/", views.calendar, name="calendar"),
    path("meetings/<int:pk>/", views.meeting_roll, name="meeting"),
    path("meetings/<int:pk>/photos/", views.meeting_photo_add, name="meeting-photo-add"),
    path("meeting-photos/<int:pk>/", views.meeting_photo, name="meeting-photo"),
    path(
        "meeting-photos/<int:pk>/remove/", views.meeting_photo_remove, name="meeting-photo-remove"
    ),
    path("dues/", views.dues, name="dues"),
    path("dues/<int:pk>/", views.ledger, name="ledger"),
    path("flags/", views.flags, name="flags"),
    path("terms/", views.terms, name="terms"),
]
