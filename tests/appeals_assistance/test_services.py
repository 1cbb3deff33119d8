"""The fund can never be overdrawn: money and in-kind refusals, cancelling releases, budgets
cannot be lowered below what is given, every write is audited and rows are immutable."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from appeals.assistance import services
from appeals.assistance.choices import DisbursementStatus
from appeals.models import Disbursement
from core.choices import AuditAction
from core.models import AuditEvent

from .helpers import give


def _event(obj, action):
    return AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        action=action,
    )


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


def test_money_disbursement_up_to_the_budget_then_refused(world, people, funds):
    give(world.staff, funds.city, worker=people.worker_delivery, amount="9000.00")
    give(world.staff, funds.city, member=people.member_express, amount="999.99")
    with pytest.raises(ValidationError) as exc:
        give(world.staff, funds.city, worker=people.worker_express, amount="0.02")
    assert "0.01" in _errors(exc)["amount"][0]
    assert Disbursement.objects.filter(fund=funds.city).count() == 2
    # The last cent still fits.
    give(world.staff, funds.city, worker=people.worker_express, amount="0.01")
    assert services.fund_disbursed(funds.city) == Decimal("10000.00")


def test_in_kind_disbursement_is_limited_by_the_item_quantity(world, people, funds):
    give(world.staff, funds.city, worker=people.worker_delivery, item=funds.tablets, quantity=60)
    with pytest.raises(ValidationError) as exc:
        give(
            world.staff,
            funds.city,
            worker=people.worker_express,
            item=funds.tablets,
            quantity=41,
            purpose="medical",
        )
    assert "40" in _errors(exc)["quantity"][0]
    give(world.staff, funds.city, worker=people.worker_express, item=funds.tablets, quantity=40)
    assert services.item_given(funds.tablets) == 100
    # In-kind aid does not touch the money.
    assert services.fund_disbursed(funds.city) == Decimal("0.00")


def test_item_of_another_fund_is_refused(world, people, funds):
    with pytest.raises(ValidationError) as exc:
        give(
            world.staff,
            funds.delivery,
            worker=people.worker_delivery,
            item=funds.tablets,
            quantity=1,
        )
    assert "item" in _errors(exc)


@pytest.mark.parametrize(
    ("who", "kwargs", "field"),
    [
        ("nobody", {"amount": "10.00"}, "worker"),
        ("both", {"amount": "10.00"}, "member"),
        ("worker", {}, "amount"),  # neither money nor an item
        ("worker", {"amount": "-5.00"}, "amount"),
        ("worker", {"amount": "10.00", "quantity": 2}, "amount"),  # money and a quantity
        ("worker", {"amount": "10.00", "purpose": "party"}, "purpose"),
        ("worker", {"amount": "10.00", "disbursed_on": dt.date(2100, 1, 1)}, "disbursed_on"),
    ],
)
def test_bad_disbursements_are_field_errors_and_write_nothing(
    world, people, funds, who, kwargs, field
):
    beneficiaries = {
        "nobody": {},
        "worker": {"worker": people.worker_delivery},
        "both": {"worker": people.worker_delivery, "member": people.member_delivery},
    }[who]
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        give(world.staff, funds.city, **beneficiaries, **kwargs)
    assert field in _errors(exc), _errors(exc)
    assert not Disbursement.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_database_refuses_two_beneficiaries_even_past_the_service(world, people, funds):
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(
            fund=funds.city,
            worker=people.worker_delivery,
            member=people.member_delivery,
            amount=Decimal("1.00"),
            purpose="hardship",
            approver=world.staff,
        )


def test_cancel_releases_the_amount_and_keeps_the_row(world, people, funds):
    first = give(world.staff, funds.city, worker=people.worker_delivery, amount="10000.00")
    with pytest.raises(ValidationError):
        give(world.staff, funds.city, worker=people.worker_express, amount="1.00")
    with pytest.raises(ValidationError) as exc:
        services.disbursement_cancel(actor=world.staff, disbursement=first, reason="  ")
    assert "reason" in _errors(exc)
    services.disbursement_cancel(actor=world.staff, disbursement=first, reason="重复发放，已退回")
    first.refresh_from_db()
    assert first.status == DisbursementStatus.CANCELLED
    assert first.cancelled_by == world.staff and first.cancel_reason == "重复发放，已退回"
    assert services.fund_disbursed(funds.city) == Decimal("0.00")
    give(world.staff, funds.city, worker=people.worker_express, amount="10000.00")
    with pytest.raises(ValidationError):
        services.disbursement_cancel(actor=world.staff, disbursement=first, reason="again")
    event = _event(first, AuditAction.UPDATE)
    assert event.verb == "cancel" and event.changes["status"] == ["disbursed", "cancelled"]


def test_cancel_releases_in_kind_quantity(world, people, funds):
    row = give(
        world.staff, funds.city, worker=people.worker_delivery, item=funds.tablets, quantity=100
    )
    services.disbursement_cancel(actor=world.staff, disbursement=row, reason="未领取")
    assert services.item_given(funds.tablets) == 0
    give(world.staff, funds.city, worker=people.worker_express, item=funds.tablets, quantity=100)


def test_budget_cannot_be_lowered_below_what_is_disbursed(world, people, funds):
    give(world.staff, funds.city, worker=people.worker_delivery, amount="6000.00")
    with pytest.raises(ValidationError) as exc:
        services.fund_update(
            actor=world.staff, fund=funds.city, data={"budget": Decimal("5999.99")}
        )
    assert "6,000.00" in _errors(exc)["budget"][0]
    funds.city.refresh_from_db()
    assert funds.city.budget == Decimal("10000.00")
    fund = services.fund_update(
        actor=world.staff, fund=funds.city, data={"budget": Decimal("6000.00")}
    )
    assert fund.budget == Decimal("6000.00")
    event = _event(fund, AuditAction.UPDATE)
    assert event.changes["budget"] == ["10000.00", "6000.00"]


def test_item_quantity_cannot_be_lowered_below_what_is_given(world, people, funds):
    give(world.staff, funds.city, worker=people.worker_delivery, item=funds.tablets, quantity=30)
    with pytest.raises(ValidationError) as exc:
        services.fund_item_update(
            actor=world.staff, fund_item=funds.tablets, data={"quantity_budget": 29}
        )
    assert "quantity_budget" in _errors(exc)
    services.fund_item_update(
        actor=world.staff, fund_item=funds.tablets, data={"quantity_budget": 30}
    )


def test_closed_fund_takes_nothing(world, people, funds):
    services.fund_update(actor=world.staff, fund=funds.delivery, data={"status": "closed"})
    with pytest.raises(ValidationError) as exc:
        give(world.staff, funds.delivery, worker=people.worker_delivery, amount="1.00")
    assert "fund" in _errors(exc)


def test_fund_with_disbursements_cannot_be_deleted(world, people, funds):
    give(world.staff, funds.delivery, worker=people.worker_delivery, amount="1.00")
    with pytest.raises(ValidationError):
        services.fund_delete(actor=world.staff, fund=funds.delivery)
    services.fund_delete(actor=world.staff, fund=funds.express)


def test_scope_outside_fund_or_beneficiary_is_refused(world, people, funds):
    sec = world.secretary_delivery
    # Another committee's fund: refused before its balance is disclosed.
    with pytest.raises(ValidationError) as exc:
        give(sec, funds.express, worker=people.worker_delivery, amount="1.00")
    assert "fund" in _errors(exc) and "yuan" not in str(_errors(exc))
    # A beneficiary outside scope (the express committee's member).
    with pytest.raises(ValidationError) as exc:
        give(sec, funds.delivery, member=people.member_express, amount="1.00")
    assert "member" in _errors(exc)
    row = give(sec, funds.delivery, member=people.member_delivery, amount="1.00")
    assert row.approver == sec
    event = _event(row, AuditAction.CREATE)
    assert event.actor == sec
