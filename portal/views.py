"""The browser portal's cross-app pages: the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.choices import ORGANIZATION_COVERAGE_MODES, CoverageMode, EnterpriseStatus
from organizations.selectors import active_organization_count, coverage_counts


@dataclass(frozen=True)
class KpiCard:
    """One dashboard card: a count, optionally out of a denominator, linking to its list.

    Rates are shown as numerator / denominator (DESIGN.md §6), the percentage only as a help.
    """

    key: str
    title: str
    value: int
    denominator: int | None = None
    url: str = ""
    note: str = ""

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return 100 * self.value / self.denominator


def _enterprise_list_url(**params) -> str:
    query = urlencode(params, doseq=True)
    return reverse("organizations:enterprise_list") + (f"?{query}" if query else "")


def kpi_cards(user) -> list[KpiCard]:
    """The dashboard's cards, all computed from querysets scoped to ``user`` (two queries)."""
    operating = EnterpriseStatus.OPERATING
    organizations = active_organization_count(user=user)
    counts = coverage_counts(user=user)
    total = counts["total"]
    return [
        KpiCard(
            key="organizations",
            title=_("Party organizations"),
            value=organizations,
            url=reverse("organizations:tree"),
            note=_("Active organizations in your scope"),
        ),
        KpiCard(
            key="enterprises",
            title=_("Operating enterprises"),
            value=total,
            url=_enterprise_list_url(status=operating),
            note=_("Enterprises, platforms and outlets in your scope"),
        ),
        KpiCard(
            key="organization_coverage",
            title=_("Organization coverage"),
            value=counts["organization"],
            denominator=total,
            url=_enterprise_list_url(
                status=operating, coverage_mode=[str(m) for m in ORGANIZATION_COVERAGE_MODES]
            ),
            note=_("Own, joint, regional or industry party organization"),
        ),
        KpiCard(
            key="work_coverage",
            title=_("Work coverage only"),
            value=counts["work"],
            denominator=total,
            url=_enterprise_list_url(status=operating, coverage_mode=CoverageMode.WORK_ONLY),
            note=_("Reached by an instructor, a liaison or a union or youth-league group"),
        ),
        KpiCard(
            key="uncovered",
            title=_("Not covered"),
            value=counts["none"],
            denominator=total,
            url=_enterprise_list_url(status=operating, coverage_mode=CoverageMode.NONE),
            note=_("The work list: units with neither coverage yet"),
        ),
    ]


@login_required
def home(request):
    return render(request, "portal/home.html", {"cards": kpi_cards(request.user)})
