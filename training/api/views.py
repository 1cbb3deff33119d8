"""REST endpoints for training under ``/api/v1/training/``: scoped CRUD for staff; enrollment,
session check-ins and online learning for partner apps; learning records and statistics."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import has_perm
from core.filters import YEAR_MAX, YEAR_MIN
from members.selectors import can_see_political_status
from organizations.scoped import ScopedModelViewSet, ScopedReadOnlyViewSet, ServiceSet

from .. import selectors, services
from ..choices import AttendanceChannel
from ..filtersets import (
    AttendanceFilterSet,
    CourseFilterSet,
    EducationSiteFilterSet,
    EnrollmentFilterSet,
    LearningResourceFilterSet,
    LecturerFilterSet,
    OutreachEventFilterSet,
    PartyLessonFilterSet,
    PioneerDesignationFilterSet,
    ResourcePackFilterSet,
    ResourceProgressFilterSet,
    SessionFilterSet,
    TrainingClassFilterSet,
)
from ..models import (
    Attendance,
    Course,
    EducationSite,
    Enrollment,
    LearningResource,
    Lecturer,
    OutreachEvent,
    PartyLesson,
    PioneerDesignation,
    ResourcePack,
    ResourceProgress,
    Session,
    TrainingClass,
)
from . import serializers as s


def _schema(tag: str, name: str):
    return extend_schema_view(
        list=extend_schema(tags=[tag], summary=_("List %(name)s") % {"name": name}),
        retrieve=extend_schema(tags=[tag], summary=_("Show one of the %(name)s") % {"name": name}),
        create=extend_schema(tags=[tag], summary=_("Create one of the %(name)s") % {"name": name}),
        update=extend_schema(tags=[tag], summary=_("Replace one of the %(name)s") % {"name": name}),
        partial_update=extend_schema(
            tags=[tag], summary=_("Change one of the %(name)s") % {"name": name}
        ),
        destroy=extend_schema(tags=[tag], summary=_("Delete one of the %(name)s") % {"name": name}),
    )


@_schema("training", "lecturers")
class LecturerViewSet(ScopedModelViewSet):
    """The city's lecturers: everyone signed in reads them, city-wide staff change them."""

    queryset = Lecturer.objects.select_related("department")
    serializer_class = s.LecturerSerializer
    filterset_class = LecturerFilterSet
    services = ServiceSet.of(services, "lecturer")


@_schema("training", "courses")
class CourseViewSet(ScopedModelViewSet):
    """The course menu."""

    queryset = Course.objects.prefetch_related("lecturers", "industries")
    serializer_class = s.CourseSerializer
    filterset_class = CourseFilterSet
    services = ServiceSet.of(services, "course")


@_schema("training", "education sites")
class EducationSiteViewSet(ScopedModelViewSet):
    queryset = EducationSite.objects.select_related("region")
    serializer_class = s.EducationSiteSerializer
    filterset_class = EducationSiteFilterSet
    services = ServiceSet.of(services, "site")


@_schema("training", "resource packs")
class ResourcePackViewSet(ScopedModelViewSet):
    queryset = ResourcePack.objects.prefetch_related("items")
    serializer_class = s.ResourcePackSerializer
    filterset_class = ResourcePackFilterSet
    services = ServiceSet.of(services, "pack")


@_schema("training", "learning resources")
class LearningResourceViewSet(ScopedModelViewSet):
    """Resource items; ``views/`` and ``completions/`` record a worker's online learning."""

    queryset = LearningResource.objects.all()
    serializer_class = s.LearningResourceSerializer
    filterset_class = LearningResourceFilterSet
    services = ServiceSet.of(services, "resource")

    def get_permissions(self):
        if self.action in ("views", "completions"):
            return [has_perm("training.add_resourceprogress")()]
        return super().get_permissions()

    def _body(self, request) -> s.WorkerReference:
        body = s.WorkerReference(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        return body

    @extend_schema(
        tags=["training"],
        summary=_("Record that a worker viewed a resource"),
        description=_("Every view counts; the answer is the worker's progress on the item."),
        request=s.WorkerReference,
        responses={200: s.ResourceProgressSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def views(self, request, pk=None):
        resource = self.get_object()
        body = self._body(request)
        progress = services.resource_view(
            actor=request.user, resource=resource, worker=body.validated_data["worker"]
        )
        return Response(s.ResourceProgressSerializer(progress).data)

    @extend_schema(
        tags=["training"],
        summary=_("Record that a worker completed a resource"),
        description=_(
            "Idempotent per worker and item: the first completion answers 201, a repeat 200 "
            "with the same progress (its completion time unchanged)."
        ),
        request=s.WorkerReference,
        responses={200: s.ResourceProgressSerializer, 201: s.ResourceProgressSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def completions(self, request, pk=None):
        resource = self.get_object()
        body = self._body(request)
        progress, created = services.resource_complete(
            actor=request.user, resource=resource, worker=body.validated_data["worker"]
        )
        return Response(
            s.ResourceProgressSerializer(progress).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@_schema("training", "training classes")
class TrainingClassViewSet(ScopedModelViewSet):
    """Classes organized within your scope, with seats taken, sessions, person-times and
    completions (derived)."""

    queryset = TrainingClass.objects.all()
    serializer_class = s.TrainingClassSerializer
    filterset_class = TrainingClassFilterSet
    services = ServiceSet.of(services, "training_class")

    def get_queryset(self):
        return selectors.classes_for(self.request.user).prefetch_related("courses", "industries")

    def _annotated(self, instance):
        return selectors.classes_for(self.request.user).get(pk=instance.pk)

    def perform_create(self, serializer):
        super().perform_create(serializer)
        serializer.instance = self._annotated(serializer.instance)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        serializer.instance = self._annotated(serializer.instance)


@_schema("training", "sessions")
class SessionViewSet(ScopedModelViewSet):
    """Sessions of the classes in your scope; ``check-ins/`` records attendance."""

    queryset = Session.objects.all()
    serializer_class = s.SessionSerializer
    filterset_class = SessionFilterSet
    services = ServiceSet.of(services, "session")

    def get_queryset(self):
        return selectors.sessions_for(self.request.user)

    def get_permissions(self):
        if self.action == "check_ins":
            return [has_perm("training.add_attendance")()]
        return super().get_permissions()

    @extend_schema(
        tags=["training"],
        summary=_("Check a worker in at a session"),
        description=_(
            "From a partner app, after the worker scanned the session's QR code (it carries "
            "the session id and its check-in code) or typed the code. The worker is given by "
            "id, or by `worker_source` and `worker_external_id`. Idempotent per session and "
            "worker: a repeat answers 200 with the same attendance, a new one 201. A worker "
            "not enrolled is recorded as a walk-in."
        ),
        request=s.SessionCheckInSerializer,
        responses={200: s.AttendanceSerializer, 201: s.AttendanceSerializer},
    )
    @action(detail=True, methods=["post"], url_path="check-ins", filterset_class=None)
    def check_ins(self, request, pk=None):
        # Any session: the check-in code, not the caller's scope, admits the check-in.
        session = get_object_or_404(Session.objects.select_related("training_class"), pk=pk)
        body = s.SessionCheckInSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        attendance, created = services.attendance_check_in(
            actor=request.user,
            session=session,
            worker=data["worker"],
            code=data["code"],
            channel=data.get("channel") or AttendanceChannel.PARTNER_APP,
            at=data.get("at"),
        )
        attendance = Attendance.objects.select_related("enrollment", "session").get(
            pk=attendance.pk
        )
        return Response(
            s.AttendanceSerializer(attendance).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@_schema("training", "enrollments")
class EnrollmentViewSet(ScopedModelViewSet):
    """Enrollments in your scope (partners: those they submitted). Creating one takes a seat
    (a full class answers 400 on ``training_class``); completion is derived."""

    queryset = Enrollment.objects.all()
    serializer_class = s.EnrollmentSerializer
    filterset_class = EnrollmentFilterSet
    services = ServiceSet.of(services, "enrollment")
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.enrollments_for(self.request.user)


@extend_schema_view(
    list=extend_schema(tags=["training"], summary=_("List attendance")),
    retrieve=extend_schema(tags=["training"], summary=_("Show one attendance")),
)
class AttendanceViewSet(ScopedReadOnlyViewSet):
    queryset = Attendance.objects.select_related("enrollment", "session")
    serializer_class = s.AttendanceSerializer
    filterset_class = AttendanceFilterSet


@extend_schema_view(
    list=extend_schema(tags=["training"], summary=_("List online learning progress")),
    retrieve=extend_schema(tags=["training"], summary=_("Show one learning progress")),
)
class ResourceProgressViewSet(ScopedReadOnlyViewSet):
    queryset = ResourceProgress.objects.all()
    serializer_class = s.ResourceProgressSerializer
    filterset_class = ResourceProgressFilterSet


@_schema("training", "party lessons")
class PartyLessonViewSet(ScopedModelViewSet):
    queryset = PartyLesson.objects.all()
    serializer_class = s.PartyLessonSerializer
    filterset_class = PartyLessonFilterSet
    services = ServiceSet.of(services, "party_lesson")

    def get_queryset(self):
        return selectors.lessons_for(self.request.user).prefetch_related("attendees")

    def _annotated(self, instance):
        return self.get_queryset().get(pk=instance.pk)

    def perform_create(self, serializer):
        super().perform_create(serializer)
        serializer.instance = self._annotated(serializer.instance)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        serializer.instance = self._annotated(serializer.instance)


@_schema("training", "outreach events")
class OutreachEventViewSet(ScopedModelViewSet):
    queryset = OutreachEvent.objects.select_related("industry", "region")
    serializer_class = s.OutreachEventSerializer
    filterset_class = OutreachEventFilterSet
    services = ServiceSet.of(services, "outreach_event")


@_schema("training", "pioneer designations")
class PioneerDesignationViewSet(ScopedModelViewSet):
    queryset = PioneerDesignation.objects.all()
    serializer_class = s.PioneerDesignationSerializer
    filterset_class = PioneerDesignationFilterSet
    services = ServiceSet.of(services, "designation")


class _RecordView(APIView):
    """A learning record of a person you can see (else 404)."""

    permission_classes = [has_perm("training.view_enrollment")]
    getter = staticmethod(selectors.worker_record)

    def get(self, request, pk: int):
        try:
            _person, record = self.getter(request.user, pk)
        except ObjectDoesNotExist:
            raise Http404 from None
        # A lesson attended discloses membership: only scoped staff read political status.
        data = s.record_data(record, with_lessons=can_see_political_status(request.user))
        return Response(data)


class WorkerRecordView(_RecordView):
    @extend_schema(
        tags=["training"],
        summary=_("A worker's learning record"),
        description=_(
            "Classes (with completion), sessions attended, hours, party lessons (through the "
            "member the two finds identified the worker as; staff only) and resources."
        ),
        responses=s.LearningRecordSerializer,
    )
    def get(self, request, pk: int):
        return super().get(request, pk)


class MemberRecordView(_RecordView):
    getter = staticmethod(selectors.member_record)

    @extend_schema(
        tags=["training"],
        summary=_("A party member's learning record"),
        responses=s.LearningRecordSerializer,
    )
    def get(self, request, pk: int):
        return super().get(request, pk)


class StatisticsQuery(serializers.Serializer):
    year = serializers.IntegerField(
        label=_("Year (default: this year)"),
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
    )


class StatisticsView(APIView):
    """The year's training figures in your scope by month, industry and region."""

    permission_classes = [has_perm("training.view_trainingclass")]

    @extend_schema(
        tags=["training"],
        summary=_("Training statistics"),
        parameters=[StatisticsQuery],
        responses={200: dict},
    )
    def get(self, request):
        query = StatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year")
        stats = selectors.statistics(request.user, year=year)
        return Response(
            {
                "year": stats.year,
                "totals": stats.totals,
                "by_month": stats.by_month,
                "by_industry": stats.by_industry,
                "by_region": stats.by_region,
            }
        )
