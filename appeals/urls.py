from django.urls import path

from . import views
from .photos import views as photo_views

app_name = "appeals"
urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.intake, name="intake"),
    path("inbox/", views.inbox, name="inbox"),
    path("escalation-scan/", views.escalation_scan, name="escalation_scan"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("photos/<int:pk>/", photo_views.photo, name="photo"),
    path("<int:pk>/<slug:action>/", views.appeal_act, name="act"),
    path("hot-spots/<int:pk>/resolve/", views.hotspot_resolve, name="hotspot_resolve"),
]
