"""Training classes: the list and a class with its sessions and enrollments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.scoped import Column

from .. import selectors
from ..filtersets import (
    TrainingClassFilterSet,
)
from ..models import (
    TrainingClass,
)
from .base import TrainingListView, _date, _label


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


class_list = ClassListView.as_view()
