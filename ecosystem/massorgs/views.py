"""The browser face of the mass organizations (一引三带): the organization list (filters,
xlsx ledger), the service projects and mediation cases, and the statistics (organizations and
members by kind, projects and their beneficiaries, mediation, coverage of enterprises) with
charts. Scoped: a record outside scope is not listed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.scoped import Column

from ..pages import EcoListView, Table, stats_page
from . import selectors
from .filtersets import MassOrganizationFilterSet, MediationCaseFilterSet, ServiceProjectFilterSet
from .models import MassOrganization, MediationCase, ServiceProject


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def _attached(o: MassOrganization) -> str:
    target = o.enterprise or o.industry or o.region
    return f"{o.get_attachment_display()} · {target}"


ORG_COLUMNS = (
    Column(_label(MassOrganization, "name"), lambda o: o.name),
    Column(_label(MassOrganization, "kind"), lambda o: o.get_kind_display()),
    Column(_label(MassOrganization, "attachment"), _attached),
    Column(_label(MassOrganization, "region"), lambda o: o.region.name),
    Column(_label(MassOrganization, "leading_organization"), lambda o: o.leading_organization.name),
    Column(_label(MassOrganization, "member_count"), lambda o: o.member_count),
    Column(_label(MassOrganization, "founded_on"), lambda o: o.founded_on),
)


class MassOrganizationListView(EcoListView):
    model = MassOrganization
    filterset_class = MassOrganizationFilterSet
    export_columns = ORG_COLUMNS
    export_filename = "mass-organizations.xlsx"
    title = _("Mass organizations")

    def base_queryset(self):
        return selectors.mass_organizations_for(self.request.user).order_by("kind", "name", "id")


mass_organization_list = MassOrganizationListView.as_view()

PROJECT_COLUMNS = (
    Column(_label(ServiceProject, "name"), lambda p: p.name),
    Column(_label(ServiceProject, "kind"), lambda p: p.get_kind_display()),
    Column(_label(ServiceProject, "organization"), lambda p: p.organization.name),
    Column(_label(ServiceProject, "starts_on"), lambda p: p.starts_on),
    Column(_label(ServiceProject, "ends_on"), lambda p: p.ends_on),
    Column(_label(ServiceProject, "beneficiaries"), lambda p: p.beneficiaries),
    Column(_label(ServiceProject, "children_enrolled"), lambda p: p.children_enrolled),
    Column(_label(ServiceProject, "sessions"), lambda p: p.sessions),
    Column(_label(ServiceProject, "amount"), lambda p: p.amount),
)


class ProjectListView(EcoListView):
    model = ServiceProject
    filterset_class = ServiceProjectFilterSet
    export_columns = PROJECT_COLUMNS
    export_filename = "service-projects.xlsx"
    title = _("Service projects")

    def base_queryset(self):
        return selectors.projects_for(self.request.user).order_by("-starts_on", "id")


project_list = ProjectListView.as_view()

CASE_COLUMNS = (
    Column(_label(MediationCase, "opened_on"), lambda c: c.opened_on),
    Column(_label(MediationCase, "project"), lambda c: c.project.name),
    Column(_label(MediationCase, "status"), lambda c: c.get_status_display()),
    Column(_label(MediationCase, "workers_involved"), lambda c: c.workers_involved),
    Column(_label(MediationCase, "amount_recovered"), lambda c: c.amount_recovered),
    Column(_label(MediationCase, "appeal"), lambda c: c.appeal.reference if c.appeal else ""),
    Column(_label(MediationCase, "closed_on"), lambda c: c.closed_on),
    Column(_label(MediationCase, "summary"), lambda c: c.summary),
)


class CaseListView(EcoListView):
    model = MediationCase
    filterset_class = MediationCaseFilterSet
    export_columns = CASE_COLUMNS
    export_filename = "mediation-cases.xlsx"
    title = _("Mediation cases")

    def base_queryset(self):
        return selectors.cases_for(self.request.user).order_by("-opened_on", "-id")


case_list = CaseListView.as_view()


@login_required
@permission_required("ecosystem.view_massorganization", raise_exception=True)
def stats(request):
    s = selectors.massorg_stats(request.user)
    projects = {r["kind"]: r for r in s.projects}
    m = s.mediation
    cards = [
        *[
            {"key": f"orgs_{r['kind']}", "label": r["name"], "value": r["organizations"]}
            for r in s.by_kind
        ],
        {
            "key": "care_classes",
            "label": gettext("Care classes"),
            "value": projects["care_class"]["projects"],
        },
        {
            "key": "children",
            "label": gettext("Children enrolled"),
            "value": projects["care_class"]["children_enrolled"],
        },
        {
            "key": "mediation",
            "label": gettext("Mediation cases settled"),
            "value": f"{m['settled']} / {m['cases']}",
        },
        {
            "key": "credit",
            "label": gettext("Start-up credit granted (yuan)"),
            "value": f"{projects['startup_credit']['amount']:,.2f}",
        },
    ]

    charts = [
        {
            "id": "chart-kind",
            "type": "bar",
            "title": gettext("Organizations and members"),
            "names": [r["name"] for r in s.by_kind],
            "series": [
                {
                    "name": gettext("Organizations"),
                    "values": [r["organizations"] for r in s.by_kind],
                },
                {
                    "name": gettext("Members (hundreds)"),
                    "values": [round(r["members"] / 100, 1) for r in s.by_kind],
                },
            ],
        },
        {
            "id": "chart-projects",
            "type": "hbar",
            "title": gettext("Beneficiaries by project kind"),
            "names": [r["name"] for r in s.projects],
            "series": [
                {
                    "name": gettext("Beneficiaries"),
                    "values": [r["beneficiaries"] for r in s.projects],
                }
            ],
        },
        {
            "id": "chart-coverage",
            "type": "hbar",
            "title": gettext("Enterprises with each kind of organization"),
            "names": [r["name"] for r in s.coverage],
            "series": [
                {"name": gettext("Enterprises"), "values": [r["numerator"] for r in s.coverage]}
            ],
        },
    ]
    tables = [
        Table(
            "by-kind",
            gettext("Organizations by kind"),
            [gettext("Kind"), gettext("Organizations"), gettext("Members")],
            [[r["name"], r["organizations"], r["members"]] for r in s.by_kind],
        ),
        Table(
            "projects",
            gettext("Service projects"),
            [
                gettext("Kind"),
                gettext("Projects"),
                gettext("Beneficiaries"),
                gettext("Children enrolled"),
                gettext("Sessions"),
                gettext("Credit (yuan)"),
            ],
            [
                [
                    r["name"],
                    r["projects"],
                    r["beneficiaries"],
                    r["children_enrolled"],
                    r["sessions"],
                    f"{r['amount']:,.2f}",
                ]
                for r in s.projects
            ],
        ),
        Table(
            "mediation",
            gettext("Labour-dispute mediation"),
            [
                gettext("Cases"),
                gettext("Settled"),
                gettext("Being mediated"),
                gettext("From appeals"),
                gettext("Workers involved"),
                gettext("Wages recovered (yuan)"),
            ],
            [
                [
                    m["cases"],
                    m["settled"],
                    m["open"],
                    m["from_appeals"],
                    m["workers"],
                    f"{m['recovered']:,.2f}",
                ]
            ],
        ),
        Table(
            "coverage",
            gettext("Coverage of enterprises"),
            [
                gettext("Kind"),
                gettext("Enterprises with one"),
                gettext("Operating enterprises"),
                gettext("Percent"),
            ],
            [
                [
                    r["name"],
                    r["numerator"],
                    r["denominator"],
                    "—" if r["percent"] is None else f"{r['percent']}%",
                ]
                for r in s.coverage
            ],
        ),
    ]
    return stats_page(
        request,
        title=gettext("One leads three: mass organizations"),
        cards=cards,
        charts=charts,
        tables=tables,
        definition=gettext(
            "Organizations and members: the union, youth-league and women's-federation "
            "organizations in your scope and their member counts. Coverage: operating "
            "enterprises in your scope with an organization of that kind attached to them, of "
            "all operating enterprises in your scope."
        ),
        export_name="mass-organization-statistics",
        export_model=MassOrganization,
    )
