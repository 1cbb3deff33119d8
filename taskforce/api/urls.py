"""Routes of the task force API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from ..measures.api import views as measures
from ..research.api import views as research
from . import views

router = SimpleRouter()
router.register("taskforce-meetings", views.MeetingViewSet, basename="taskforce-meeting")
router.register("taskforce-tasks", views.TaskViewSet, basename="taskforce-task")
router.register("measures", measures.MeasureViewSet, basename="measure")
router.register("measure-reports", measures.IndicatorReportViewSet, basename="measure-report")
router.register("research-campaigns", research.CampaignViewSet, basename="research-campaign")
router.register("research-demands", research.DemandViewSet, basename="research-demand")

urlpatterns = router.urls
