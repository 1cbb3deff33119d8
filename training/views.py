"""The browser face of training: the course menu and the other catalogue lists, classes with
their sessions and enrollments, the session check-in page, learning records, party lessons,
outreach events, designations and the statistics page (ECharts and an xlsx export).

Every list is a :class:`~organizations.scoped.ScopedListView` (scoped, filtered by the same
FilterSet as the API, paginated, exported); out-of-scope pages answer 404.
"""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from core import pii
from core.exports import export_info, xlsx_response
from core.forms import style_inputs
from members.selectors import can_see_political_status
from organizations import scoping
from organizations.scoped import Column, ScopedListView

from . import selectors, services
from .choices import AttendanceChannel
from .filtersets import (
    CourseFilterSet,
    EducationSiteFilterSet,
    LearningResourceFilterSet,
    LecturerFilterSet,
    OutreachEventFilterSet,
    PartyLessonFilterSet,
    PioneerDesignationFilterSet,
    TrainingClassFilterSet,
)
from .models import (
    Attendance,
    Course,
    EducationSite,
    LearningResource,
    Lecturer,
    OutreachEvent,
    PartyLesson,
    PioneerDesignation,
    Session,
    TrainingClass,
)


def _label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def _names(items) -> str:
    return "、".join(str(i) for i in items)


def _date(value) -> str:
    return value.isoformat() if value else ""


def _tune(form) -> None:
    style_inputs(form, skip=(), date_inputs=True)


class TrainingListView(ScopedListView):
    """A training list: the page shows the export's columns; the first links to the detail."""

    template_name = "training/list.html"
    title: Any = ""
    detail_url_name = ""
    columns: tuple[Column, ...] = ()
    links: tuple[tuple[Any, str], ...] = ()

    @property
    def export_columns(self):  # type: ignore[override]
        return self.columns

    def selector(self, user):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.selector(self.request.user)
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        if self.filterset.is_bound:
            return self.filterset.qs if self.filterset.is_valid() else queryset.none()
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _tune(self.filterset.form)
        headers = [str(c.header) for c in self.columns]
        context.update(
            title=self.title,
            headers=headers,
            rows=[
                (obj, [(h, c.value(obj)) for h, c in zip(headers, self.columns, strict=True)])
                for obj in context["object_list"]
            ],
            detail_url_name=self.detail_url_name,
            filtered=any(v for k, v in self.request.GET.items() if k not in ("page", "format")),
            links=[(label, reverse(name)) for label, name in self.links],
        )
        return context


# --- the catalogue -------------------------------------------------------------------------


class CourseListView(TrainingListView):
    """The course menu (课程菜单)."""

    model = Course
    filterset_class = CourseFilterSet
    title = _("Course menu")
    export_filename = "courses.xlsx"
    links = ((_("Lecturers"), "training:lecturer_list"), (_("Classes"), "training:class_list"))
    columns = (
        Column(_label(Course, "title"), lambda c: c.title),
        Column(_label(Course, "topic"), lambda c: c.get_topic_display()),
        Column(_label(Course, "format"), lambda c: c.get_format_display()),
        Column(_label(Course, "hours"), lambda c: c.hours),
        Column(_label(Course, "lecturers"), lambda c: _names(c.lecturers.all())),
        Column(_label(Course, "industries"), lambda c: _names(c.industries.all())),
    )

    def selector(self, user):
        return selectors.courses_for(user)


class LecturerListView(TrainingListView):
    model = Lecturer
    filterset_class = LecturerFilterSet
    title = _("Lecturers")
    export_filename = "lecturers.xlsx"
    columns = (
        Column(_label(Lecturer, "name"), lambda x: x.name),
        Column(_label(Lecturer, "kind"), lambda x: x.get_kind_display()),
        Column(_label(Lecturer, "department"), lambda x: x.department or ""),
        Column(_label(Lecturer, "title"), lambda x: x.title),
    )

    def selector(self, user):
        return selectors.lecturers_for(user)


class SiteListView(TrainingListView):
    model = EducationSite
    filterset_class = EducationSiteFilterSet
    title = _("Education sites")
    export_filename = "education-sites.xlsx"
    template_name = "training/site_list.html"
    columns = (
        Column(_label(EducationSite, "name"), lambda x: x.name),
        Column(_label(EducationSite, "kind"), lambda x: x.get_kind_display()),
        Column(_label(EducationSite, "region"), lambda x: x.region.name),
        Column(_label(EducationSite, "address"), lambda x: x.address),
        Column(_label(EducationSite, "vr_url"), lambda x: x.vr_url),
    )

    def selector(self, user):
        return selectors.sites_for(user)


class ResourceListView(TrainingListView):
    model = LearningResource
    filterset_class = LearningResourceFilterSet
    title = _("Learning resources")
    export_filename = "learning-resources.xlsx"
    columns = (
        Column(_label(LearningResource, "title"), lambda x: x.title),
        Column(_label(LearningResource, "pack"), lambda x: x.pack.title),
        Column(_label(LearningResource, "kind"), lambda x: x.get_kind_display()),
        Column(_label(LearningResource, "minutes"), lambda x: x.minutes),
        Column(_label(LearningResource, "url"), lambda x: x.url),
    )

    def selector(self, user):
        return selectors.resources_for(user)


# --- classes -------------------------------------------------------------------------------


class ClassListView(TrainingListView):
    model = TrainingClass
    filterset_class = TrainingClassFilterSet
    title = _("Training classes")
    detail_url_name = "training:class_detail"
    export_filename = "training-classes.xlsx"
    columns = (
        Column(_label(TrainingClass, "name"), lambda x: x.name),
        Column(_label(TrainingClass, "organizer"), lambda x: x.organizer.name),
        Column(_label(TrainingClass, "region"), lambda x: x.region.name if x.region else ""),
        Column(_label(TrainingClass, "starts_on"), lambda x: _date(x.starts_on)),
        Column(_label(TrainingClass, "ends_on"), lambda x: _date(x.ends_on)),
        Column(_label(TrainingClass, "status"), lambda x: x.get_status_display()),
        Column(_("Enrolled / capacity"), lambda x: f"{x.enrolled} / {x.capacity}"),
        Column(pgettext_lazy("training", "Sessions"), lambda x: x.session_count),
        Column(_("Person-times"), lambda x: x.person_times),
        Column(_("Completed"), lambda x: x.completed_count),
    )

    def selector(self, user):
        return selectors.classes_for(user)


@login_required
def class_detail(request, pk: int):
    training_class = get_object_or_404(selectors.classes_for(request.user), pk=pk)
    sessions = (
        selectors.sessions_for(request.user)
        .filter(training_class=training_class)
        .order_by("starts_at", "id")
    )
    enrollments = list(
        selectors.enrollments_for(request.user)
        .filter(training_class=training_class)
        .order_by("worker__name", "id")[:500]
    )
    # A learner held in the viewer's district may work elsewhere: link only whom they may open.
    openable = selectors.openable_workers(request.user, [e.worker_id for e in enrollments])
    return render(
        request,
        "training/class_detail.html",
        {
            "training_class": training_class,
            "courses": list(training_class.courses.all()),
            "sessions": sessions,
            "enrollments": enrollments,
            "openable_workers": openable,
        },
    )


class CheckInForm(forms.Form):
    """The worker by portal id, or by source roster and id in that roster."""

    worker = forms.IntegerField(label=_("Worker id"), required=False, min_value=1)
    worker_source = forms.CharField(label=_("Source roster"), required=False, max_length=64)
    worker_external_id = forms.CharField(label=_("Id in the source"), required=False, max_length=64)

    def __init__(self, *args, user, session: Session, **kwargs):
        self.user = user
        self.session = session
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not data.get("worker") and not (
            data.get("worker_source") and data.get("worker_external_id")
        ):
            raise ValidationError(
                {"worker": _("Give the worker's id, or its source roster and id in it.")}
            )
        worker = selectors.check_in_worker(
            self.user,
            self.session.training_class,
            pk=data.get("worker"),
            source=data.get("worker_source", ""),
            external_id=data.get("worker_external_id", ""),
        )
        if worker is None:
            raise ValidationError({"worker": services.UNKNOWN_WORKER})
        data["worker_obj"] = worker
        return data


def check_in_url(request, session: Session) -> str:
    """The URL the session's QR code encodes: this page, with the code."""
    path = reverse("training:session_check_in", args=[session.pk])
    return request.build_absolute_uri(f"{path}?code={session.check_in_code}")


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as inline SVG, drawn on the server (no script, no CDN)."""
    return segno.make(data, error="m").svg_inline(scale=5, dark="#1f2933", light="#ffffff")


@login_required
def session_check_in(request, pk: int):
    """The organizer's check-in page for a session: its code and check-in URL (what the QR
    code carries), a form to record a worker, and who is checked in."""
    session = get_object_or_404(
        selectors.sessions_for(request.user).select_related("training_class__organizer"), pk=pk
    )
    form = CheckInForm(request.POST or None, user=request.user, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            attendance, created = services.attendance_check_in(
                actor=request.user,
                session=session,
                worker=form.cleaned_data["worker_obj"],
                code=None,
                channel=AttendanceChannel.PORTAL,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            if created:
                messages.success(
                    request, _("%(name)s is checked in.") % {"name": attendance.worker.name}
                )
            else:
                messages.info(
                    request,
                    _("%(name)s was checked in already.") % {"name": attendance.worker.name},
                )
            return redirect("training:session_check_in", pk=session.pk)
    _tune(form)
    attendances = (
        scoping.visible(Attendance, request.user)
        .filter(session=session)
        .select_related("worker", "enrollment")
        .order_by("-checked_in_at", "-id")
    )
    url = check_in_url(request, session)
    return render(
        request,
        "training/session_check_in.html",
        {
            "session": session,
            "form": form,
            "attendances": attendances[:500],
            "check_in_url": url,
            "check_in_qr": mark_safe(qr_svg(url)),  # segno's own markup; data is our URL
            "scanned_code": request.GET.get("code", ""),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def session_new_code(request, pk: int):
    """Issue a new check-in code for a session (the old code and QR link stop working)."""
    session = get_object_or_404(selectors.sessions_for(request.user), pk=pk)
    if not request.user.has_perm("training.change_session"):
        raise Http404
    session = services.session_new_code(actor=request.user, session=session)
    messages.success(
        request, _("The new check-in code is %(code)s.") % {"code": session.check_in_code}
    )
    return redirect("training:session_check_in", pk=session.pk)


# --- learning records ----------------------------------------------------------------------


@login_required
def worker_record(request, pk: int):
    try:
        person, record = selectors.worker_record(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(
        request,
        "training/record.html",
        {
            "person": person,
            "record": record,
            "is_member": False,
            "show_lessons": can_see_political_status(request.user),
        },
    )


@login_required
def member_record(request, pk: int):
    try:
        person, record = selectors.member_record(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(
        request,
        "training/record.html",
        {"person": person, "record": record, "is_member": True, "show_lessons": True},
    )


# --- lessons, outreach, designations ---------------------------------------------------------


class LessonListView(TrainingListView):
    model = PartyLesson
    filterset_class = PartyLessonFilterSet
    title = _("Party lessons")
    export_filename = "party-lessons.xlsx"
    columns = (
        Column(_label(PartyLesson, "title"), lambda x: x.title),
        Column(_label(PartyLesson, "organization"), lambda x: x.organization.name),
        Column(_label(PartyLesson, "speaker_name"), lambda x: x.speaker_name),
        Column(_label(PartyLesson, "given_on"), lambda x: _date(x.given_on)),
        Column(_label(PartyLesson, "audience_count"), lambda x: x.audience_count),
        Column(_("Members recorded"), lambda x: x.attendee_count),
    )

    def selector(self, user):
        return selectors.lessons_for(user)


class OutreachListView(TrainingListView):
    model = OutreachEvent
    filterset_class = OutreachEventFilterSet
    title = _("Outreach events")
    export_filename = "outreach-events.xlsx"
    columns = (
        Column(_label(OutreachEvent, "title"), lambda x: x.title),
        Column(_label(OutreachEvent, "kind"), lambda x: x.get_kind_display()),
        Column(_label(OutreachEvent, "speaker_name"), lambda x: x.speaker_name),
        Column(_label(OutreachEvent, "industry"), lambda x: x.industry.name if x.industry else ""),
        Column(_label(OutreachEvent, "region"), lambda x: x.region.name),
        Column(_label(OutreachEvent, "held_on"), lambda x: _date(x.held_on)),
        Column(_label(OutreachEvent, "audience_count"), lambda x: x.audience_count),
    )

    def selector(self, user):
        return selectors.outreach_for(user)


def _designation_detail(x: PioneerDesignation) -> str:
    if x.plate:
        return x.plate
    if x.account:
        return f"{x.platform.name if x.platform else ''} {x.account}".strip()
    return x.unit.name if x.unit else ""


class DesignationListView(TrainingListView):
    model = PioneerDesignation
    filterset_class = PioneerDesignationFilterSet
    title = _("Pioneer designations")
    export_filename = "pioneer-designations.xlsx"
    columns = (
        Column(_label(PioneerDesignation, "title"), lambda x: x.title),
        Column(_label(PioneerDesignation, "kind"), lambda x: x.get_kind_display()),
        Column(_label(PioneerDesignation, "holder"), lambda x: x.holder.name),
        Column(_("Plate, account or unit"), _designation_detail),
        Column(_label(PioneerDesignation, "organization"), lambda x: x.organization.name),
        Column(_label(PioneerDesignation, "starts_on"), lambda x: _date(x.starts_on)),
        Column(_label(PioneerDesignation, "status"), lambda x: x.get_status_display()),
    )

    def selector(self, user):
        return selectors.designations_for(user)


# --- statistics ----------------------------------------------------------------------------


@login_required
def stats(request):
    """The year's figures in the user's scope, charts and an xlsx export (``?format=xlsx``)."""
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    figures = selectors.statistics(request.user, year=year)
    labels = selectors.measure_labels()
    measures = list(selectors.MEASURES)
    if request.GET.get("format") == "xlsx":
        headers = [str(_("Dimension")), str(_("Group")), *[labels[m] for m in measures]]
        rows = []
        for dimension, table in (
            (_("Month"), figures.by_month),
            (_("Industry"), figures.by_industry),
            (_("Region"), figures.by_region),
        ):
            rows += [[str(dimension), r["label"], *[r[m] for m in measures]] for r in table]
        rows.append([str(_("Total")), str(figures.year), *[figures.totals[m] for m in measures]])
        pii.record_export(
            actor=request.user, model=TrainingClass, fields=headers, row_count=len(rows)
        )
        return xlsx_response(
            f"training-statistics-{figures.year}.xlsx",
            headers,
            rows,
            title=str(_("Training statistics %(year)s") % {"year": figures.year}),
            info=export_info(request),
        )
    this_year = timezone.localdate().year
    return render(
        request,
        "training/stats.html",
        {
            "figures": figures,
            "measures": [(m, labels[m]) for m in measures],
            "years": list(range(this_year, this_year - 5, -1)),
            "charts": {
                "labels": labels,
                "months": figures.by_month,
                "industries": figures.by_industry,
                "regions": figures.by_region,
            },
        },
    )


course_list = CourseListView.as_view()
lecturer_list = LecturerListView.as_view()
site_list = SiteListView.as_view()
resource_list = ResourceListView.as_view()
class_list = ClassListView.as_view()
lesson_list = LessonListView.as_view()
outreach_list = OutreachListView.as_view()
designation_list = DesignationListView.as_view()
