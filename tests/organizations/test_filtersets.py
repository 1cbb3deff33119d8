"""One test per filter of the enterprise, party-organization and region FilterSets (the API
and the portal share them), on the shared world's records."""

from __future__ import annotations

from organizations import filtersets as fs
from organizations.models import PartyOrganization
from tests import factories as f
from tests.base import FilterSetSuite


class TestEnterpriseFilterSet(FilterSetSuite):
    filterset = fs.EnterpriseFilterSet
    cases = {
        "q": ({"q": "天宁美团"}, {"a"}),
        "industry": ({"industry": "express"}, {"c"}),
        "region": ({"region": "320404"}, {"b", "c"}),
        "coverage_mode": (lambda world, o: {"coverage_mode": [o["a"].coverage_mode]}, {"a"}),
        "kind": ({"kind": "fleet"}, {"c"}),
        "status": ({"status": "closed"}, {"c"}),
        "platform": (lambda world, o: {"platform": world.platform.pk}, {"a"}),
        "party_organization": (
            lambda world, o: {"party_organization": world.branch_delivery.pk},
            {"a"},
        ),
    }

    def make(self, world):
        closed_fleet = f.EnterpriseFactory(
            name="钟楼车队", industry=world.express, region=world.district_b, kind="fleet"
        )
        closed_fleet.status = "closed"
        closed_fleet.save(update_fields=["status"])
        objects = {"a": world.ent_delivery_a, "b": world.ent_delivery_b, "c": closed_fleet}
        assert objects["a"].coverage_mode != objects["b"].coverage_mode
        return objects


class TestPartyOrganizationFilterSet(FilterSetSuite):
    filterset = fs.PartyOrganizationFilterSet
    cases = {
        "q": ({"q": "br-express"}, {"c"}),
        "ancestor": (lambda world, o: {"ancestor": world.committee_delivery.pk}, {"a", "b"}),
        "kind": ({"kind": ["industry_committee"]}, {"a"}),
        "industry": ({"industry": "express"}, {"c"}),
        "region": ({"region": "320402"}, {"b", "c"}),
        "status": ({"status": "dissolved"}, {"c"}),
    }

    def make(self, world):
        PartyOrganization.objects.filter(pk=world.branch_express.pk).update(status="dissolved")
        return {
            "a": world.committee_delivery,
            "b": world.branch_delivery,
            "c": world.branch_express,
        }


class TestRegionFilterSet(FilterSetSuite):
    filterset = fs.RegionFilterSet
    cases = {
        "level": ({"level": "street"}, {"street"}),
        "ancestor": ({"ancestor": "320402"}, {"district", "street"}),
        "code": ({"code": "320404"}, {"other"}),
    }

    def make(self, world):
        return {"district": world.district_a, "street": world.street_a, "other": world.district_b}
