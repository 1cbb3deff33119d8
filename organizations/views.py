"""The browser face of organizations: the party-organization tree and the enterprise list.

Every queryset goes through :mod:`organizations.scoping`; an object outside the user's scope
answers 404. Lists run a constant number of queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.forms import style_inputs, tree_select

from .choices import EnterpriseStatus
from .filtersets import EnterpriseFilterSet, PartyOrganizationFilterSet
from .health import health_of
from .models import Enterprise, InstructorAssignment, PartyOrganization, Region
from .scoped import Column, ScopedListView
from .scoping import visible


def _label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def _covered_count():
    return Count(
        "covered_enterprises",
        filter=Q(covered_enterprises__status=EnterpriseStatus.OPERATING),
        distinct=True,
    )


# --- the party-organization tree ---------------------------------------------------------------


@dataclass
class TreeNode:
    organization: PartyOrganization
    #: Depth in the rendered tree (0 for a root shown), not in the whole tree.
    level: int = 0
    children: list[TreeNode] = field(default_factory=list)


def build_tree(organizations) -> list[TreeNode]:
    """Nest organizations ordered by ``path`` under their nearest listed ancestor.

    One pass over one query. A node whose ancestors are not in the list (outside the user's
    scope, or filtered out by a search) becomes a root, so a subtree or a search result still
    renders as a tree.
    """
    roots: list[TreeNode] = []
    stack: list[TreeNode] = []
    for organization in organizations:
        while stack and not organization.path.startswith(stack[-1].organization.path):
            stack.pop()
        node = TreeNode(organization, level=len(stack))
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


@login_required
def organization_tree(request):
    queryset = (
        visible(PartyOrganization, request.user)
        .select_related("industry", "region")
        .annotate(covered_count=_covered_count())
        .order_by("path")
    )
    filterset = PartyOrganizationFilterSet(request.GET or None, queryset=queryset, request=request)
    searching = filterset.is_bound and any(v for v in request.GET.values())
    if filterset.is_bound:
        organizations = filterset.qs if filterset.is_valid() else queryset.none()
    else:
        organizations = queryset
    organizations = list(organizations)
    # Counts and flags over everything the user sees, so a searched node keeps its subtree's.
    health = health_of(queryset if searching else organizations)
    for organization in organizations:
        organization.health = health.get(organization.pk)
    return render(
        request,
        "organizations/organization_tree.html",
        {
            "filterset": filterset,
            "search_field": filterset.form["q"],
            "roots": build_tree(organizations),
            "count": len(organizations),
            "searching": searching,
        },
    )


@login_required
def organization_detail(request, pk: int):
    user = request.user
    organization = get_object_or_404(
        visible(PartyOrganization, user)
        .select_related("parent", "industry", "region", "host_enterprise")
        .annotate(covered_count=_covered_count()),
        pk=pk,
    )
    ancestors = visible(PartyOrganization, user).filter(path__in=organization.ancestors_paths())
    children = (
        visible(PartyOrganization, user)
        .filter(parent=organization)
        .annotate(covered_count=_covered_count())
        .order_by("path")
    )
    enterprises = (
        visible(Enterprise, user)
        .filter(party_organization=organization)
        .select_related("industry", "region")
        .order_by("name", "id")
    )
    subtree = visible(PartyOrganization, user).filter(path__startswith=organization.path)
    health = health_of(subtree.order_by("path"))
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "health": health.get(organization.pk),
            "ancestors": ancestors,
            "children": children,
            "enterprises": enterprises,
        },
    )


# --- enterprises ---------------------------------------------------------------------------------


def _name_or_blank(obj) -> str:
    return str(obj) if obj is not None else ""


ENTERPRISE_COLUMNS = (
    Column(_label(Enterprise, "name"), lambda e: e.name),
    Column(_label(Enterprise, "uscc"), lambda e: e.uscc),
    Column(_label(Enterprise, "kind"), lambda e: e.get_kind_display()),
    Column(_label(Enterprise, "platform"), lambda e: _name_or_blank(e.platform)),
    Column(_label(Enterprise, "industry"), lambda e: e.industry.name),
    Column(_label(Enterprise, "region"), lambda e: e.region.name),
    Column(_label(Enterprise, "coverage_mode"), lambda e: e.get_coverage_mode_display()),
    Column(_label(Enterprise, "worker_count"), lambda e: e.worker_count),
    Column(_label(Enterprise, "address"), lambda e: e.address),
    Column(_label(Enterprise, "contact_name"), lambda e: e.contact_name),
    Column(_label(Enterprise, "contact_phone"), lambda e: e.contact_phone),
    Column(
        _label(Enterprise, "party_organization"), lambda e: _name_or_blank(e.party_organization)
    ),
    Column(_label(Enterprise, "status"), lambda e: e.get_status_display()),
)


#: The list page's columns (the export has a few more).
TABLE_FIELDS = (
    "name",
    "uscc",
    "kind",
    "industry",
    "region",
    "coverage_mode",
    "worker_count",
    "party_organization",
)

#: Filters shown at once; the others sit under "More filters".
PRIMARY_FILTERS = ("q", "industry", "region", "coverage_mode")


class EnterpriseListView(ScopedListView):
    model = Enterprise
    filterset_class = EnterpriseFilterSet
    paginate_by = 50
    template_name = "organizations/enterprise_list.html"
    export_columns = ENTERPRISE_COLUMNS
    export_filename = "enterprises.xlsx"

    def base_queryset(self):
        return Enterprise.objects.select_related(
            "industry", "region", "party_organization", "platform"
        ).order_by("name", "id")

    def get_template_names(self):
        # An htmx request from the filter form swaps only the results.
        if self.request.headers.get("HX-Request") and not self.request.headers.get(
            "HX-History-Restore-Request"
        ):
            return ["organizations/_enterprise_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filterset"]
        if filterset is not None:
            form = filterset.form
            self._tune_filter_form(form)
            context["primary_fields"] = [form[n] for n in PRIMARY_FILTERS if n in form.fields]
            context["more_fields"] = [b for b in form if b.name not in PRIMARY_FILTERS]
            context["more_open"] = any(self.request.GET.get(b.name) for b in context["more_fields"])
        context["columns"] = [_label(Enterprise, name) for name in TABLE_FIELDS]
        return context

    def _tune_filter_form(self, form) -> None:
        """Widgets that work on a phone and without JavaScript."""
        fields = form.fields
        if "coverage_mode" in fields:
            fields["coverage_mode"].widget = forms.CheckboxSelectMultiple(
                choices=fields["coverage_mode"].choices
            )
        if "region" in fields:
            regions = Region.objects.only("code", "name", "depth").order_by("path")
            # The bound field was built (and its label copied) when the filters were applied.
            fields["region"].label = form["region"].label = _("Region (includes its subtree)")
            fields["region"].widget = tree_select(regions)
        style_inputs(form)


class EnterpriseDetailView(LoginRequiredMixin, DetailView):
    template_name = "organizations/enterprise_detail.html"
    context_object_name = "enterprise"

    def get_queryset(self):
        return visible(Enterprise, self.request.user).select_related(
            "industry", "industry__department", "region", "party_organization", "platform"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = self.object
        user = self.request.user
        ancestors = Region.objects.filter(path__in=enterprise.region.ancestors_paths())
        context["region_chain"] = [*ancestors.order_by("path"), enterprise.region]
        context["assignments"] = (
            visible(InstructorAssignment, user)
            .filter(enterprise=enterprise, ended_on__isnull=True)
            .select_related("instructor", "instructor__department")
        )
        context["unit_count"] = visible(Enterprise, user).filter(platform=enterprise).count()
        context["covering_visible"] = (
            enterprise.party_organization_id is not None
            and visible(PartyOrganization, user)
            .filter(pk=enterprise.party_organization_id)
            .exists()
        )
        return context


enterprise_list = EnterpriseListView.as_view()
enterprise_detail = EnterpriseDetailView.as_view()
