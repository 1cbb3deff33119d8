"""The browser face of the job fairs: the fair list (filters, xlsx ledger), a fair's page with
its employers and positions, the positions and applications lists, and the statistics (by
event, industry, district and month, with charts). Scoped: a fair outside scope answers 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.scoped import Column

from ..pages import EcoListView, Table, stats_page
from . import selectors
from .filtersets import JobApplicationFilterSet, JobFairFilterSet, PositionFilterSet
from .models import JobApplication, JobFair, Position


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


FAIR_COLUMNS = (
    Column(_label(JobFair, "title"), lambda f: f.title),
    Column(_label(JobFair, "held_on"), lambda f: f.held_on),
    Column(_label(JobFair, "host_organization"), lambda f: f.host_organization.name),
    Column(_label(JobFair, "region"), lambda f: f.region.name),
    Column(_label(JobFair, "platform"), lambda f: f.get_platform_display()),
    Column(_label(JobFair, "account"), lambda f: f.account),
    Column(_label(JobFair, "viewers"), lambda f: f.viewers),
    Column(_("Employers"), lambda f: f.employer_count),
)


class FairListView(EcoListView):
    model = JobFair
    filterset_class = JobFairFilterSet
    export_columns = FAIR_COLUMNS
    export_filename = "job-fairs.xlsx"
    title = _("Live-streamed job fairs")
    detail_url_name = "ecosystem_jobfairs:detail"

    def base_queryset(self):
        return selectors.fairs_for(self.request.user).order_by("-held_on", "-id")


fair_list = FairListView.as_view()


@login_required
def fair_detail(request, pk: int):
    fair = get_object_or_404(selectors.fairs_for(request.user), pk=pk)
    positions = selectors.positions_for(request.user).filter(fair=fair).order_by("employer", "id")
    figures = selectors.fair_figures(JobFair.objects.filter(pk=fair.pk)).get(fair.pk, {})
    return render(
        request,
        "ecosystem/jobfairs/detail.html",
        {"fair": fair, "positions": positions, "figures": figures},
    )


POSITION_COLUMNS = (
    Column(_label(Position, "title"), lambda p: p.title),
    Column(_label(Position, "employer"), lambda p: p.employer.name),
    Column(_label(Position, "fair"), lambda p: str(p.fair)),
    Column(_label(Position, "industry"), lambda p: p.get_industry_display()),
    Column(_label(Position, "region"), lambda p: p.region.name),
    Column(_label(Position, "headcount"), lambda p: p.headcount),
    Column(_("Hired"), lambda p: p.hired),
    Column(_label(Position, "pay_min"), lambda p: p.pay_min),
    Column(_label(Position, "pay_max"), lambda p: p.pay_max),
    Column(_label(Position, "status"), lambda p: p.get_status_display()),
)


class PositionListView(EcoListView):
    model = Position
    filterset_class = PositionFilterSet
    export_columns = POSITION_COLUMNS
    export_filename = "job-positions.xlsx"
    title = _("Positions")

    def base_queryset(self):
        return selectors.positions_for(self.request.user).order_by("-fair__held_on", "id")


position_list = PositionListView.as_view()

APPLICATION_COLUMNS = (
    Column(_label(JobApplication, "applicant_name"), lambda a: a.applicant_name),
    Column(_label(JobApplication, "position"), lambda a: str(a.position)),
    Column(_("Job fair"), lambda a: str(a.position.fair)),
    Column(_label(JobApplication, "channel"), lambda a: a.get_channel_display()),
    Column(_label(JobApplication, "status"), lambda a: a.get_status_display()),
    Column(_label(JobApplication, "interviewed_on"), lambda a: a.interviewed_on),
    Column(_label(JobApplication, "hired_on"), lambda a: a.hired_on),
)


class ApplicationListView(EcoListView):
    model = JobApplication
    filterset_class = JobApplicationFilterSet
    export_columns = APPLICATION_COLUMNS
    export_filename = "job-applications.xlsx"
    title = _("Job applications")

    def base_queryset(self):
        return selectors.applications_for(self.request.user).order_by("-applied_at", "-id")


application_list = ApplicationListView.as_view()

MATCHED_DEFINITION = _(
    "Positions matched: the number of applications in the state “hired” — one person hired "
    "into one position of a fair, whether a partner app applied on the worker's behalf or "
    "staff recorded it. Openings are what the employers offered; hires never exceed them. "
    "Employers count each participating employer once. By district: the work region of the "
    "position; by month: the month of the hire."
)


@login_required
@permission_required("ecosystem.view_jobfair", raise_exception=True)
def stats(request):
    s = selectors.fair_stats(request.user)
    t = s.totals
    cards = [
        {"key": "fairs", "label": gettext("Job fairs held"), "value": t["fairs"]},
        {"key": "employers", "label": gettext("Employers"), "value": t["employers"]},
        {"key": "openings", "label": gettext("Openings offered"), "value": t["openings"]},
        {"key": "applications", "label": gettext("Applications"), "value": t["applications"]},
        {"key": "interviewed", "label": gettext("Interviewed"), "value": t["interviewed"]},
        {"key": "matched", "label": gettext("Positions matched (hires)"), "value": t["matched"]},
        {"key": "viewers", "label": gettext("Viewers"), "value": t["viewers"]},
    ]
    events = s.by_event[:30]
    charts = [
        {
            "id": "chart-industry",
            "type": "hbar",
            "title": gettext("Positions matched by industry"),
            "names": [r["name"] for r in s.by_industry],
            "series": [
                {"name": gettext("Matched"), "values": [r["matched"] for r in s.by_industry]}
            ],
        },
        {
            "id": "chart-district",
            "type": "hbar",
            "title": gettext("Positions matched by district"),
            "names": [r["name"] for r in s.by_district],
            "series": [
                {"name": gettext("Matched"), "values": [r["matched"] for r in s.by_district]}
            ],
        },
        {
            "id": "chart-month",
            "type": "line",
            "title": gettext("Positions matched by month"),
            "names": [r["month"] for r in s.by_month],
            "series": [{"name": gettext("Matched"), "values": [r["matched"] for r in s.by_month]}],
        },
        {
            "id": "chart-event",
            "type": "bar",
            "title": gettext("Latest fairs: matched"),
            "names": [str(r["held_on"]) for r in reversed(events)],
            "series": [
                {
                    "name": gettext("Matched"),
                    "values": [r.get("matched", 0) for r in reversed(events)],
                }
            ],
        },
    ]
    tables = [
        Table(
            "by-event",
            gettext("By job fair"),
            [
                gettext("Job fair"),
                gettext("Held on"),
                gettext("Employers"),
                gettext("Openings"),
                gettext("Applications"),
                gettext("Matched"),
                gettext("Viewers"),
            ],
            [
                [
                    r["title"],
                    r["held_on"],
                    r["employers"],
                    r.get("openings", 0),
                    r.get("applications", 0),
                    r.get("matched", 0),
                    r["viewers"],
                ]
                for r in s.by_event
            ],
        ),
        Table(
            "by-industry",
            gettext("By industry"),
            [gettext("Industry"), gettext("Openings"), gettext("Applications"), gettext("Matched")],
            [[r["name"], r["openings"], r["applications"], r["matched"]] for r in s.by_industry],
        ),
        Table(
            "by-district",
            gettext("By district"),
            [gettext("District"), gettext("Applications"), gettext("Matched")],
            [[r["name"], r["applications"], r["matched"]] for r in s.by_district],
        ),
        Table(
            "by-month",
            gettext("By month"),
            [gettext("Month"), gettext("Matched")],
            [[r["month"], r["matched"]] for r in s.by_month],
        ),
    ]
    return stats_page(
        request,
        title=gettext("Job-fair statistics"),
        cards=cards,
        charts=charts,
        tables=tables,
        definition=MATCHED_DEFINITION,
        export_name="job-fair-statistics",
        export_model=JobFair,
    )
