"""Routes of the training API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("training/lecturers", views.LecturerViewSet, basename="training-lecturer")
router.register("training/courses", views.CourseViewSet, basename="training-course")
router.register("training/education-sites", views.EducationSiteViewSet, basename="training-site")
router.register("training/resource-packs", views.ResourcePackViewSet, basename="training-pack")
router.register("training/resources", views.LearningResourceViewSet, basename="training-resource")
router.register("training/classes", views.TrainingClassViewSet, basename="training-class")
router.register("training/sessions", views.SessionViewSet, basename="training-session")
router.register("training/enrollments", views.EnrollmentViewSet, basename="training-enrollment")
router.register("training/attendances", views.AttendanceViewSet, basename="training-attendance")
router.register(
    "training/learning-progress", views.ResourceProgressViewSet, basename="training-progress"
)
router.register("training/party-lessons", views.PartyLessonViewSet, basename="training-lesson")
router.register(
    "training/outreach-events", views.OutreachEventViewSet, basename="training-outreach"
)
router.register(
    "training/designations", views.PioneerDesignationViewSet, basename="training-designation"
)

urlpatterns = [
    path("training/statistics/", views.StatisticsView.as_view(), name="training-statistics"),
    path(
        "training/records/workers/<int:pk>/",
        views.WorkerRecordView.as_view(),
        name="training-worker-record",
    ),
    path(
        "training/records/members/<int:pk>/",
        views.MemberRecordView.as_view(),
        name="training-member-record",
    ),
    *router.urls,
]
