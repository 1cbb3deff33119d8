"""Base classes for the three faces, all narrowed by ``organizations.scoping``.

- :class:`ScopedModelAdmin`: changelist, FK choices and list filters scoped; an out-of-scope
  change view answers 404; saves and deletes go through the app's services.
- :class:`ScopedModelViewSet` + :class:`ScopedSerializerMixin`: the REST face.
- :class:`ScopedFilterSet`: filter choices scoped; one FilterSet serves API and portal.
- :class:`ScopedListView`: a portal list with a FilterSet, pagination and xlsx export.

Later apps subclass these and declare a :class:`ServiceSet`; nothing else needs to know scope.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import django_filters
from django.contrib import admin
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import ListView
from rest_framework import serializers, viewsets

from core import pii, writes
from core.api.fastlist import ValuesListMixin
from core.exports import export_info, xlsx_response
from core.filters import BoundedFilterSet, is_filtered

from . import scoping


@dataclass(frozen=True)
class ServiceSet:
    """The services a face calls for one model.

    ``update``/``delete`` take the instance under the keyword ``instance_kwarg`` (for example
    ``enterprise_update(actor=..., enterprise=..., data=...)``).
    """

    create: Callable[..., Any] | None = None
    update: Callable[..., Any] | None = None
    delete: Callable[..., Any] | None = None
    instance_kwarg: str = "instance"

    @classmethod
    def of(cls, module: Any, entity: str) -> ServiceSet:
        """The ``<entity>_create``/``_update``/``_delete`` services of ``module``, so that the
        admin and the API of one model call the very same functions."""
        return cls(
            create=getattr(module, f"{entity}_create", None),
            update=getattr(module, f"{entity}_update", None),
            delete=getattr(module, f"{entity}_delete", None),
            instance_kwarg=entity,
        )

    def do_create(self, *, actor: Any, data: dict[str, Any]):
        if self.create is None:
            raise ValidationError(gettext("Creating is not possible here."))
        return self.create(actor=actor, data=data)

    def do_update(self, *, actor: Any, instance: models.Model, data: dict[str, Any]):
        if self.update is None:
            raise ValidationError(gettext("Changing is not possible here."))
        return self.update(actor=actor, data=data, **{self.instance_kwarg: instance})

    def do_delete(self, *, actor: Any, instance: models.Model) -> None:
        if self.delete is None:
            raise ValidationError(gettext("Deleting is not possible here."))
        self.delete(actor=actor, **{self.instance_kwarg: instance})


def _model_data(model: type[models.Model], cleaned: dict[str, Any], names) -> dict[str, Any]:
    concrete = {f.name for f in model._meta.concrete_fields}
    return {n: cleaned[n] for n in names if n in concrete and n in cleaned}


# --- admin -----------------------------------------------------------------------------------


class ScopedRelatedListFilter(admin.RelatedFieldListFilter):
    """A related-field list filter that only offers what the user may see."""

    def field_choices(self, field, request, model_admin):
        queryset = scoping.restrict(field.related_model._default_manager.all(), request.user)
        return [(obj.pk, str(obj)) for obj in queryset[:500]]


#: Links typed without a scheme are https (Django 6's default; silences the 5.x warning).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class ScopedModelAdmin(admin.ModelAdmin):
    services: ServiceSet | None = None
    #: Who sees it (see ``core/admin.py``): narrowed by the model's scope rule.
    scope_policy = "scoped"
    list_per_page = 50
    formfield_overrides = URL_FIELDS

    def get_queryset(self, request):
        return scoping.restrict(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Out of scope or missing: the same answer, so existence is not disclosed.
            raise Http404
        return obj

    def get_list_filter(self, request):
        out = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and "__" not in item:
                field = self.model._meta.get_field(item)
                if field.is_relation and scoping.rule_for(field.related_model) is not None:
                    out.append((item, ScopedRelatedListFilter))
                    continue
            out.append(item)
        return out

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoping.restrict(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoping.restrict(field.queryset, request.user)
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        if self.services is None:
            return form_class
        admin_ = self

        class ServiceCheckedForm(form_class):
            """Runs the service in a rolled-back transaction so its rules become form errors."""

            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                try:
                    with transaction.atomic():
                        admin_._call_service(request, self)
                        transaction.set_rollback(True)
                except ValidationError as exc:
                    self._update_errors(exc)

        return ServiceCheckedForm

    def _call_service(self, request, form):
        instance = form.instance
        if instance.pk is None or instance._state.adding:
            data = _model_data(self.model, form.cleaned_data, form.cleaned_data.keys())
            return self.services.do_create(actor=request.user, data=data)
        fresh = self.model._default_manager.get(pk=instance.pk)
        data = _model_data(self.model, form.cleaned_data, form.changed_data)
        return self.services.do_update(actor=request.user, instance=fresh, data=data)

    def save_model(self, request, obj, form, change):
        if self.services is None:
            return super().save_model(request, obj, form, change)
        saved = self._call_service(request, form)
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
        obj._state.adding = False
        obj._state.db = saved._state.db

    def save_related(self, request, form, formsets, change):
        """Many-to-many fields through :func:`core.writes.set_m2m` (each change audited), then
        the inlines (whose service-backed formsets write through their services)."""
        if self.services is None:
            return super().save_related(request, form, formsets, change)
        for field in self.model._meta.many_to_many:
            if field.name in form.cleaned_data and field.name in form.fields:
                writes.set_m2m(
                    actor=request.user,
                    instance=form.instance,
                    field=field.name,
                    values=form.cleaned_data[field.name],
                )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        if self.services is None:
            return super().delete_model(request, obj)
        self.services.do_delete(actor=request.user, instance=obj)

    def delete_queryset(self, request, queryset):
        if self.services is None:
            return super().delete_queryset(request, queryset)
        with transaction.atomic():
            for obj in queryset:
                self.services.do_delete(actor=request.user, instance=obj)


# --- REST API ------------------------------------------------------------------------------


class ScopedRelatedFieldMixin:
    """A writable related field that resolves its reference through the requesting user's
    scope: an object outside the scope gets the very answer of one that does not exist.

    Reference data (a model without a scope rule: regions, industries, categories) stays open
    to everybody, the public doors' anonymous users included.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset is None or scoping.rule_for(queryset.model) is None:
            return queryset
        request = self.context.get("request")
        return scoping.restrict(queryset, getattr(request, "user", None))


class ScopedPrimaryKeyRelatedField(ScopedRelatedFieldMixin, serializers.PrimaryKeyRelatedField):
    """A reference by id, resolved through the requesting user's scope."""


class ScopedSlugRelatedField(ScopedRelatedFieldMixin, serializers.SlugRelatedField):
    """A reference by code (or another unique slug), resolved through the user's scope."""


def scope_related_fields(fields, user) -> None:
    """Narrow every writable related field of a serializer's ``fields`` to ``user``'s scope."""
    for field in fields.values():
        target = getattr(field, "child_relation", field)
        if isinstance(target, ScopedRelatedFieldMixin):
            continue  # narrows itself, per request
        queryset = getattr(target, "queryset", None)
        writable = queryset is not None and not getattr(field, "read_only", False)
        if writable and scoping.rule_for(queryset.model) is not None:
            target.queryset = scoping.restrict(queryset, user)


class ScopedSerializerMixin:
    """Related fields only accept objects the requesting user can see (else a field error):
    the model fields become :class:`ScopedPrimaryKeyRelatedField` and declared related fields
    are narrowed too."""

    serializer_related_field = ScopedPrimaryKeyRelatedField

    #: Only writable fields' choices change: a list's output does not (``core.api.fastlist``).
    values_safe_get_fields = True

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        scope_related_fields(fields, getattr(request, "user", None))
        return fields


class ScopedModelSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A model serializer whose writes are validated by the model's services, not here."""


class ScopedQuerysetMixin(ValuesListMixin):
    """A viewset's rows: its ``queryset`` narrowed to the caller's scope (the choke point)."""

    def get_queryset(self):
        return scoping.restrict(super().get_queryset(), self.request.user)

    def list_sql_key(self):
        """The caller's scope filter, which with the view's class is all its rows depend on
        (``core.api.compiled``) — unless a subclass builds its queryset another way, or the
        caller sees nothing."""
        if type(self).get_queryset is not ScopedQuerysetMixin.get_queryset:
            return None
        q = scoping.scope_q(self.queryset.model, self.request.user)
        return None if q == scoping.NOTHING else ("scope", q)


class ScopedModelViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """CRUD whose reads are scoped and whose writes go through ``services``."""

    services: ServiceSet = ServiceSet()

    def perform_create(self, serializer):
        serializer.instance = self.services.do_create(
            actor=self.request.user, data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = self.services.do_update(
            actor=self.request.user,
            instance=serializer.instance,
            data=dict(serializer.validated_data),
        )

    def perform_destroy(self, instance):
        self.services.do_delete(actor=self.request.user, instance=instance)


class ScopedReadOnlyViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Reads only, scoped."""


# --- filters ---------------------------------------------------------------------------------


class ScopedFilterSet(BoundedFilterSet):
    """Model-choice filters offer and accept only what the requesting user can see; numeric
    and date filters made from model fields are bounded (core.filters)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        for flt in self.filters.values():
            if isinstance(
                flt, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter
            ):
                # ``flt.queryset`` is what django-filter builds the field from (it overwrites
                # ``extra["queryset"]`` with it).
                base = flt.queryset
                if isinstance(base, models.QuerySet):
                    flt.queryset = scoping.restrict(base, user)


class RegionSubtreeFilter(django_filters.CharFilter):
    """``?region=<code>``: records located anywhere in that region's subtree (or zone)."""

    def __init__(self, *args, region_path: str = "region", **kwargs):
        self.region_path = region_path
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        from django.db.models import Q

        from .models import Region

        region = Region.objects.filter(code=value).first()
        if region is None:
            return qs.none()
        prefixes = [region.path, *region.managed_streets.values_list("path", flat=True)]
        q = Q()
        for prefix in prefixes:
            q |= Q(**{f"{self.region_path}__path__startswith": prefix})
        return qs.filter(q)


# --- portal ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a list page and its xlsx export."""

    header: Any
    value: Callable[[Any], Any]


class ScopedListView(LoginRequiredMixin, ListView):
    """A scoped list page with a FilterSet (shared with the API), pagination and xlsx export.

    ``?format=xlsx`` exports every filtered row, not just the page, and records the export.
    """

    filterset_class: type[django_filters.FilterSet] | None = None
    paginate_by = 50
    export_columns: Sequence[Column] = ()
    export_filename = "export.xlsx"
    #: The name of the export's data sheet (default: the model's plural name).
    export_title: Any = None
    export_max_rows = 100_000

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        queryset = scoping.restrict(self.base_queryset(), self.request.user)
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(
                self.request.GET or None, queryset=queryset, request=self.request
            )
            queryset = self.filterset.qs if self.filterset.is_bound else queryset
            if self.filterset.is_bound and not self.filterset.is_valid():
                queryset = queryset.none()
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = getattr(self, "filterset", None)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        context["query_string"] = query.urlencode()
        context["filtered"] = is_filtered(self.request.GET)
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("format") == "xlsx" and self.export_columns:
            return self.export_xlsx()
        return super().render_to_response(context, **response_kwargs)

    def export_xlsx(self):
        objects = list(self.get_queryset()[: self.export_max_rows])
        headers = [str(c.header) for c in self.export_columns]
        # Every export leaves an access-log row: who, what, how many rows.
        pii.record_export(
            actor=self.request.user, model=self.model, fields=headers, row_count=len(objects)
        )
        rows = ([c.value(obj) for c in self.export_columns] for obj in objects)
        return xlsx_response(
            self.export_filename,
            headers,
            rows,
            title=str(self.export_title or self.model._meta.verbose_name_plural),
            info=export_info(self.request, filterset=getattr(self, "filterset", None)),
        )


def shown(value: Any) -> Any:
    """A value as a list page's cell shows it: "—" for nothing, 是/否 for a yes/no."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return value


class ColumnsListView(ScopedListView):
    """A scoped list page whose table is its export's columns, so that the page and the xlsx
    cannot disagree; the first column links to ``detail_url_name`` when set. Drawn by
    ``portal/columns_list.html``, which an app's list template extends for its navigation
    (``{% block nav %}``), its filter form (``filters``) or a cell's look (``cell``)."""

    template_name = "portal/columns_list.html"
    title: Any = ""
    detail_url_name = ""
    #: The id of the page's results section (browser tests and in-page links find it).
    results_id = "list-results"

    def list_query(self):
        """The query the page's links (pages, export) start from: the request's own."""
        return self.request.GET

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        columns = list(self.export_columns)
        headers = [str(c.header) for c in columns]
        detail = self.detail_url_name
        context.update(
            title=self.title,
            headers=headers,
            rows=[
                {
                    "object": obj,
                    "url": reverse(detail, args=[obj.pk]) if detail else "",
                    "cells": [
                        (h, shown(c.value(obj))) for h, c in zip(headers, columns, strict=True)
                    ],
                }
                for obj in context["object_list"]
            ],
            list_query=self.list_query(),
            results_id=self.results_id,
        )
        return context
