"""Rules that used to sit in faces, asked of the service or selector that now holds them:
where an appeal may be dispatched, who may run the escalation scan, how long a coverage
backfill may be, and which industry an assistance beneficiary counts in."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appeals import selectors, services
from appeals.assistance import selectors as assistance_selectors
from appeals.assistance.models import Disbursement
from appeals.choices import Level
from appeals.models import Appeal
from coverage import services as coverage_services
from members.models import PartyMember, Worker
from organizations.choices import OrganizationKind


def test_dispatch_targets_are_at_the_appeal_level_or_above(world, file_appeal):
    appeal = file_appeal()
    everything = set(selectors.dispatch_targets(world.staff, appeal))
    assert world.branch_delivery in everything
    Appeal.objects.filter(pk=appeal.pk).update(level=Level.INDUSTRY_COMMITTEE)
    appeal.refresh_from_db()
    targets = set(selectors.dispatch_targets(world.staff, appeal))
    assert world.committee_delivery in targets and world.branch_delivery not in targets
    assert {o.kind for o in targets} <= {
        OrganizationKind.WORKING_COMMITTEE,
        OrganizationKind.INDUSTRY_COMMITTEE,
    }
    # The service enforces the very rule the selector offers.
    with pytest.raises(ValidationError) as refused:
        services.appeal_dispatch(
            actor=world.staff, appeal=appeal, organization=world.branch_delivery
        )
    assert "organization" in refused.value.message_dict
    # A secretary is offered only what is in scope.
    assert set(selectors.dispatch_targets(world.secretary_delivery, appeal)) <= targets


def test_escalation_scan_is_for_city_wide_staff_only(world):
    assert not selectors.may_run_escalation_scan(world.secretary_delivery)
    with pytest.raises(PermissionDenied):
        services.escalation_scan_run(actor=world.secretary_delivery)
    assert selectors.may_run_escalation_scan(world.staff)
    assert services.escalation_scan_run(actor=world.staff) == 0


def test_backfill_range_rules_live_in_the_service(world):
    start = dt.date(2010, 1, 1)
    with pytest.raises(ValidationError) as too_long:
        coverage_services.coverage_backfill_queue(
            actor=world.staff, start=start, end=start + dt.timedelta(days=3661)
        )
    assert "end" in too_long.value.message_dict
    with pytest.raises(ValidationError) as backwards:
        coverage_services.coverage_backfill_queue(
            actor=world.staff, start=start, end=start - dt.timedelta(days=1)
        )
    assert "end" in backwards.value.message_dict


def test_beneficiary_industry_follows_the_totals_rule(world):
    worker = Worker(industry=world.delivery)
    assert assistance_selectors.beneficiary_industry(Disbursement(worker=worker)) == world.delivery
    assert assistance_selectors.beneficiary_industry(Disbursement(worker=Worker())) is None
    # A member without an industry of their own counts in their organization's.
    assert world.branch_delivery.industry is not None
    member = PartyMember(organization=world.branch_delivery)
    assert (
        assistance_selectors.beneficiary_industry(Disbursement(member=member))
        == world.branch_delivery.industry
    )
    member.industry = world.express
    assert assistance_selectors.beneficiary_industry(Disbursement(member=member)) == world.express
