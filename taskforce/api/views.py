"""The REST face of the task force: ``/api/v1/taskforce-meetings/`` (the office's CRUD) and
``/api/v1/taskforce-tasks/`` (scoped: a member unit's staff see their unit's tasks) with
``POST .../<id>/report/`` for a progress report."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api.permissions import has_perm
from organizations.scoped import ScopedModelViewSet, ServiceSet

from .. import selectors, services
from ..filtersets import MeetingFilterSet, TaskFilterSet
from ..models import Meeting, Task
from .serializers import (
    AttachmentInSerializer,
    DecisionAssignSerializer,
    MeetingDocumentSerializer,
    MeetingSerializer,
    TaskReportSerializer,
    TaskSerializer,
)

TAG = ["taskforce"]


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List task force meetings")),
    retrieve=extend_schema(tags=TAG, summary=_("Show one meeting")),
    create=extend_schema(tags=TAG, summary=_("Record a meeting")),
    update=extend_schema(tags=TAG, summary=_("Replace a meeting")),
    partial_update=extend_schema(tags=TAG, summary=_("Change a meeting")),
    destroy=extend_schema(tags=TAG, summary=_("Delete a meeting")),
)
class MeetingViewSet(ScopedModelViewSet):
    """Meetings of the task force; a member unit's staff see those their unit attended."""

    queryset = Meeting.objects.prefetch_related("attending_units").order_by("-held_on", "-id")
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    services = ServiceSet.of(services, "meeting")

    @extend_schema(
        tags=TAG,
        summary=_("Record a decision and give it to units as tasks"),
        request=DecisionAssignSerializer,
        responses={201: TaskSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decide(self, request, pk=None):
        meeting = self.get_object()
        body = DecisionAssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _decision, tasks = services.decision_record(
            actor=request.user, meeting=meeting, **body.validated_data
        )
        return Response(
            TaskSerializer(tasks, many=True, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        tags=TAG,
        summary=_("Attach a document (a file or a link) to a meeting"),
        request={"multipart/form-data": AttachmentInSerializer},
        responses={201: MeetingDocumentSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[has_perm("taskforce.add_meetingdocument")],
    )
    def documents(self, request, pk=None):
        meeting = self.get_object()
        body = AttachmentInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        document = services.document_attach(
            actor=request.user,
            meeting=meeting,
            title=data["title"],
            upload=data.get("file"),
            link=data.get("link", ""),
        )
        return Response(MeetingDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAG,
        summary=_("Remove a meeting document and its file"),
        description=_("To replace a file: remove the document, then attach the new one."),
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"documents/(?P<document_pk>[0-9]+)",
        filterset_class=None,
        permission_classes=[has_perm("taskforce.delete_meetingdocument")],
    )
    def remove_document(self, request, pk=None, document_pk=None):
        meeting = self.get_object()
        documents = selectors.documents_for(request.user).filter(meeting=meeting)
        document = get_object_or_404(documents, pk=document_pk)
        services.document_delete(actor=request.user, document=document)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(tags=TAG, summary=_("List task force tasks")),
    retrieve=extend_schema(tags=TAG, summary=_("Show one task")),
    create=extend_schema(tags=TAG, summary=_("Assign a task to a unit")),
    update=extend_schema(tags=TAG, summary=_("Replace a task")),
    partial_update=extend_schema(tags=TAG, summary=_("Change a task")),
    destroy=extend_schema(tags=TAG, summary=_("Delete a task")),
)
class TaskViewSet(ScopedModelViewSet):
    """Tasks of the member units. Due and escalation times are computed on the working-time
    calendar; progress moves by reports only."""

    queryset = Task.objects.select_related("unit", "decision").order_by("due_on", "id")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    services = ServiceSet.of(services, "task")

    @extend_schema(
        tags=TAG,
        summary=_("Report progress on a task"),
        request=TaskReportSerializer,
        responses={201: TaskReportSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        filterset_class=None,
        permission_classes=[has_perm("taskforce.add_taskreport")],
    )
    def report(self, request, pk=None):
        task = self.get_object()
        body = TaskReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.task_report(
            actor=request.user,
            task=task,
            progress=body.validated_data["progress"],
            text=body.validated_data["text"],
            reported_on=body.validated_data.get("reported_on"),
        )
        return Response(TaskReportSerializer(report).data, status=status.HTTP_201_CREATED)
