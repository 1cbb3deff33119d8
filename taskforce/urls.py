"""Portal routes of the task force, mounted by ``portal.urls`` at ``/taskforce/``."""

from django.urls import path

from . import views
from .measures import views as measures
from .research import views as research

app_name = "taskforce"
urlpatterns = [
    path("", views.board, name="board"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("meetings/documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("measures/", measures.measure_list, name="measure_list"),
    path("measures/<int:pk>/", measures.measure_detail, name="measure_detail"),
    path("research/", research.campaign_list, name="campaign_list"),
    path("research/<int:pk>/", research.campaign_detail, name="campaign_detail"),
    path("research/outputs/<int:pk>/file/", research.output_file, name="output_file"),
    path("research/outputs/<int:pk>/delete/", research.output_delete, name="output_delete"),
    path("research/demands/", research.demand_list, name="demand_list"),
    path("research/demands/<int:pk>/", research.demand_detail, name="demand_detail"),
]
