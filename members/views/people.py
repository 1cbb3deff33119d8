"""The browser face of workers and party members: scoped lists with filters, pagination and
an xlsx export, and a member's page with their transfer letters.

Identity numbers appear only masked, on the page and in the export (which is access-logged by
:class:`~organizations.scoped.ScopedListView`); partner accounts never see political status.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core import pii
from core.forms import style_inputs, tree_select
from organizations.models import Region
from organizations.scoped import Column, ColumnsListView

from ..choices import TransferLetterStatus
from ..filtersets import PartyMemberFilterSet, WorkerFilterSet, lookup_token
from ..models import PartyMember, TransferLetter, Worker
from ..selectors import can_see_political_status, letters_for, members_for


def _label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def _name(obj) -> str:
    return str(getattr(obj, "name", "") or "") if obj is not None else ""


def _date(value) -> str:
    return value.isoformat() if value else ""


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def _tune_filter_form(form) -> None:
    """Widgets that work on a phone and without JavaScript."""
    fields = form.fields
    if "region" in fields:
        regions = Region.objects.only("code", "name", "depth").order_by("path")
        fields["region"].widget = tree_select(regions)
    for name in ("id_number", "phone"):
        if name in fields:
            # An exact lookup value is not echoed back into the page.
            fields[name].widget = forms.PasswordInput(
                render_value=False, attrs={"autocomplete": "off"}
            )
    for name in ("lost_contact_before",):
        if name in fields:
            fields[name].widget = forms.DateInput(attrs={"type": "date"})
    style_inputs(form)


class PeopleListView(ColumnsListView):
    """A list of people: the page shows exactly the export's (masked) columns."""

    template_name = "members/person_list.html"
    results_id = "person-results"

    def columns(self) -> list[Column]:
        raise NotImplementedError

    @property
    def export_columns(self):  # type: ignore[override]
        return self.columns()

    @property
    def export_title(self):  # type: ignore[override]
        return self.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filterset"]
        if filterset is not None:
            _tune_filter_form(filterset.form)
        return context

    def list_query(self):
        # The page's links carry the blind-index tokens, never a typed ID number or phone.
        return self.safe_query()

    def get(self, request, *args, **kwargs):
        # An exact ID or phone in a typed URL comes back as its blind-index token, so the page
        # (its links, the language form's "next") never holds the plaintext.
        safe = self.safe_query()
        if safe.urlencode() != request.GET.urlencode():
            return HttpResponseRedirect(f"{request.path}?{safe.urlencode()}")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """The filter form is sent by POST, so a typed ID number or phone never stands in a
        URL (nor in an access log): it is answered with a redirect to the list whose query
        holds the blind-index token instead."""
        query = request.POST.copy()
        query.pop("csrfmiddlewaretoken", None)
        for name in list(query):
            values = [v for v in query.getlist(name) if v.strip()]
            if values:
                query.setlist(name, values)
            else:
                del query[name]
        safe = self.safe_query(query)
        return HttpResponseRedirect(f"{request.path}?{safe.urlencode()}")

    def safe_query(self, query=None):
        """The query (the request's by default) with exact ID/phone values replaced by their
        blind-index tokens: the page's links (next page, export) carry no plaintext."""
        query = self.request.GET.copy() if query is None else query
        for name in ("id_number", "phone"):
            value = query.get(name, "").strip()
            if value:
                query[name] = lookup_token(self.model, name, value)
        return query


class WorkerListView(PeopleListView):
    model = Worker
    filterset_class = WorkerFilterSet
    title = _("Workers")
    export_filename = "workers.xlsx"

    def base_queryset(self):
        return Worker.objects.select_related(
            "industry", "region", "enterprise", "platform"
        ).order_by("-id")

    def columns(self) -> list[Column]:
        columns = [
            Column(_label(Worker, "name"), lambda w: w.name),
            Column(_label(Worker, "id_number"), lambda w: pii.display(w, "id_number")),
            Column(_label(Worker, "phone"), lambda w: pii.display(w, "phone")),
            Column(_label(Worker, "gender"), lambda w: w.get_gender_display()),
            Column(_label(Worker, "birth_date"), lambda w: _date(w.birth_date)),
            Column(_label(Worker, "industry"), lambda w: _name(w.industry)),
            Column(_label(Worker, "enterprise"), lambda w: _name(w.enterprise)),
            Column(_label(Worker, "platform"), lambda w: _name(w.platform)),
            Column(_label(Worker, "region"), lambda w: _name(w.region)),
        ]
        if can_see_political_status(self.request.user):
            columns.append(
                Column(
                    _label(Worker, "political_status"), lambda w: w.get_political_status_display()
                )
            )
        columns += [
            Column(_label(Worker, "active"), lambda w: _yes_no(w.active)),
            Column(_label(Worker, "source"), lambda w: w.source),
            Column(_label(Worker, "external_id"), lambda w: w.external_id),
        ]
        return columns


def _letter_label(status: str | None) -> str:
    return str(TransferLetterStatus(status).label) if status else ""


def _card(member: PartyMember) -> str:
    if not member.activity_card_number:
        return ""
    reviewed = member.activity_card_reviewed_on
    return member.activity_card_number + (f"（{reviewed.isoformat()}）" if reviewed else "")


class MemberListView(PeopleListView):
    model = PartyMember
    filterset_class = PartyMemberFilterSet
    title = _("Party members")
    export_filename = "party-members.xlsx"
    detail_url_name = "members:member_detail"

    def base_queryset(self):
        latest = (
            TransferLetter.objects.filter(member=OuterRef("pk"))
            .order_by("-created_at", "-id")
            .values("status")[:1]
        )
        return (
            PartyMember.objects.select_related("organization", "host_organization")
            .annotate(latest_letter_status=Subquery(latest))
            .order_by("member_id")
        )

    def columns(self) -> list[Column]:
        return [
            Column(_label(PartyMember, "name"), lambda m: m.name),
            Column(_label(PartyMember, "member_id"), lambda m: m.member_id),
            Column(_label(PartyMember, "id_number"), lambda m: pii.display(m, "id_number")),
            Column(_label(PartyMember, "phone"), lambda m: pii.display(m, "phone")),
            Column(_label(PartyMember, "status"), lambda m: m.get_status_display()),
            Column(_label(PartyMember, "is_mobile"), lambda m: _yes_no(m.is_mobile)),
            Column(
                _label(PartyMember, "organization"),
                lambda m: _name(m.organization) or m.home_organization_name,
            ),
            Column(_label(PartyMember, "host_organization"), lambda m: _name(m.host_organization)),
            Column(
                _label(PartyMember, "lost_contact_since"), lambda m: _date(m.lost_contact_since)
            ),
            Column(_("Activity card (last reviewed)"), _card),
            Column(_("Latest transfer letter"), lambda m: _letter_label(m.latest_letter_status)),
        ]


class MemberDetailView(LoginRequiredMixin, DetailView):
    template_name = "members/member_detail.html"
    context_object_name = "member"

    def get_queryset(self):
        return members_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.object
        context["id_number_masked"] = pii.display(member, "id_number")
        context["phone_masked"] = pii.display(member, "phone")
        context["letters"] = letters_for(self.request.user).filter(member=member)
        from .mobile import member_forms

        context.update(member_forms(self.request, member))
        return context


worker_list = WorkerListView.as_view()
member_list = MemberListView.as_view()
member_detail = MemberDetailView.as_view()
