"""Admin inlines narrowed by ``organizations.scoping``, in the two kinds the faces use.

- :class:`ScopedReadOnlyInline`: rows shown, never written (a service writes them elsewhere).
- :class:`ScopedServiceInline`: rows edited in place, every add, change and delete through the
  row model's services (a :class:`~organizations.scoped.ServiceSet`), so each writes its audit
  row; a service's refusal becomes an error on the row, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction

from core.admin_mixins import ReadOnlyAdminMixin

from . import scoping
from .scoped import URL_FIELDS, ServiceSet, _model_data


class ScopedReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A view-only inline whose rows are scoped too; it never writes, so no service is skipped."""

    extra = 0
    can_delete = False
    show_change_link = True
    select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return scoping.restrict(queryset, request.user)


def _add_errors(form, exc: ValidationError) -> None:
    """The service's errors on the fields the form shows, the rest on the row."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class ScopedServiceInline(admin.TabularInline):
    """An editable inline whose rows are scoped and whose writes go through ``services``."""

    extra = 0
    services: ServiceSet | None = None
    formfield_overrides = URL_FIELDS

    def get_queryset(self, request):
        return scoping.restrict(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoping.restrict(field.queryset, request.user)
        return field

    def get_formset(self, request, obj=None, **kwargs):
        formset_class = super().get_formset(request, obj, **kwargs)
        if self.services is None:
            return formset_class
        services, actor = self.services, request.user
        form_class = formset_class.form

        def row_data(formset, form, names) -> dict[str, Any]:
            data = _model_data(formset.model, form.cleaned_data, names)
            data.pop(formset.model._meta.pk.name, None)
            return data

        def write(formset, form):
            """Create or update the row of ``form`` through the services; return it."""
            instance = form.instance
            if instance.pk is None or instance._state.adding:
                data = row_data(formset, form, form.cleaned_data.keys())
                data[formset.fk.name] = formset.instance
                return services.do_create(actor=actor, data=data)
            fresh = formset.model._default_manager.get(pk=instance.pk)
            data = row_data(formset, form, form.changed_data)
            return services.do_update(actor=actor, instance=fresh, data=data)

        class ServiceCheckedForm(form_class):
            """Runs the service in a rolled-back transaction so its rules become row errors."""

            formset = None

            def _post_clean(self):
                super()._post_clean()
                owner = self.formset
                if owner is None or self.errors or not self.has_changed():
                    return
                if owner.instance.pk is None or owner._should_delete_form(self):
                    return  # a new parent is checked by its own save; deletes at save time
                try:
                    with transaction.atomic():
                        write(owner, self)
                        transaction.set_rollback(True)
                except ValidationError as exc:
                    _add_errors(self, exc)

        class ServiceFormSet(formset_class):
            form = ServiceCheckedForm

            def _construct_form(self, i, **kwargs):
                form = super()._construct_form(i, **kwargs)
                form.formset = self
                return form

            def save_new(self, form, commit=True):
                return write(self, form)

            def save_existing(self, form, obj, commit=True):
                return write(self, form)

            def delete_existing(self, obj, commit=True):
                if commit:
                    services.do_delete(actor=actor, instance=obj)

        return ServiceFormSet
