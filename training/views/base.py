"""The shared list page of training: scoped, filtered by the API's FilterSet, paginated,
exported with the columns it shows, the first column linking to the detail."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.text import capfirst

from core.forms import style_inputs
from organizations.scoped import Column, ColumnsListView


def _label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def _names(items) -> str:
    return "、".join(str(i) for i in items)


def _date(value) -> str:
    return value.isoformat() if value else ""


def _tune(form) -> None:
    style_inputs(form, skip=(), date_inputs=True)


class TrainingListView(ColumnsListView):
    """A training list: the page shows the export's columns; the first links to the detail."""

    template_name = "training/list.html"
    results_id = "training-results"
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
        context["links"] = [(label, reverse(name)) for label, name in self.links]
        return context
