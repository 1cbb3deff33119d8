"""Elections: a record updates the organization's secretary and term end through the
organizations' service; organizations past term end without a record are listed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from branchlife import selectors, services
from branchlife.models import Election
from core.models import AuditEvent


def test_election_updates_the_organization(world):
    world.branch_delivery.term_ends_on = dt.date(2025, 6, 30)
    world.branch_delivery.save()
    today = dt.date(2026, 3, 1)
    overdue = selectors.terms_overdue(world.secretary_delivery, today=today)
    assert world.branch_delivery in overdue
    services.election_create(
        actor=world.secretary_delivery,
        data={
            "organization": world.branch_delivery,
            "held_on": dt.date(2026, 2, 20),
            "committee": "王强\n李娜\n张敏",
            "secretary_name": "王强",
            "term_ends_on": dt.date(2029, 2, 19),
        },
    )
    world.branch_delivery.refresh_from_db()
    assert world.branch_delivery.secretary_name == "王强"
    assert world.branch_delivery.term_ends_on == dt.date(2029, 2, 19)
    assert AuditEvent.objects.filter(object_id=str(world.branch_delivery.pk)).exists()
    assert world.branch_delivery not in selectors.terms_overdue(
        world.secretary_delivery, today=today
    )


def test_election_rules(world):
    with pytest.raises(ValidationError) as exc:
        services.election_create(
            actor=world.secretary_delivery,
            data={
                "organization": world.branch_delivery,
                "held_on": dt.date(2026, 2, 20),
                "committee": "王强\n李娜",
                "secretary_name": "赵六",
                "term_ends_on": dt.date(2026, 1, 1),
            },
        )
    assert {"secretary_name", "term_ends_on"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):  # outside scope
        services.election_create(
            actor=world.secretary_express,
            data={
                "organization": world.branch_delivery,
                "held_on": dt.date(2026, 2, 20),
                "committee": "王强",
                "secretary_name": "王强",
                "term_ends_on": dt.date(2029, 2, 19),
            },
        )
    assert not Election.objects.exists()
    world.branch_delivery.refresh_from_db()
    assert world.branch_delivery.secretary_name == ""
