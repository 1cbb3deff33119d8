from django.urls import path

from . import views

app_name = "grid"

urlpatterns = [
    path("", views.TaskBoardView.as_view(), name="board"),
    path("map/", views.task_map, name="map"),
    path("queue/", views.queue, name="queue"),
    path("claims/<int:pk>/decide/", views.decide, name="decide"),
    path("claims/<int:pk>/photo/", views.photo, name="photo"),
    path("points/", views.points, name="points"),
    path("points/ledger/", views.LedgerView.as_view(), name="ledger"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
]
