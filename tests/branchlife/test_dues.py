"""Party dues: the standard from the declared income, payments refused with a field error and
nothing written, below-standard flagged not refused, arrears and the six-month flag, and the
collection rate per branch rolled up the tree against hand-computed figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from branchlife import selectors, services
from branchlife.choices import DuesCategory, PaymentChannel
from branchlife.models import DuesDeclaration, DuesMonth, DuesPayment
from core.models import AuditEvent
from members.choices import MemberStatus
from tests import factories as f

D = Decimal


@pytest.mark.parametrize(
    ("category", "income", "standard"),
    [
        (DuesCategory.EMPLOYED, "2800", "14.00"),  # ≤ 3,000: 0.5%
        (DuesCategory.EMPLOYED, "3000", "15.00"),  # the bound belongs to the lower bracket
        (DuesCategory.EMPLOYED, "3000.01", "30.00"),  # 1%
        (DuesCategory.EMPLOYED, "5000", "50.00"),
        (DuesCategory.EMPLOYED, "8000", "120.00"),  # 1.5%
        (DuesCategory.EMPLOYED, "10000", "150.00"),
        (DuesCategory.EMPLOYED, "12345.67", "246.91"),  # 2%, rounded half up to the cent
        (DuesCategory.RETIREE, "4000", "20.00"),  # retirees: ≤ 5,000 0.5%
        (DuesCategory.RETIREE, "6000", "60.00"),  # > 5,000 1%
        (DuesCategory.STUDENT, "0", "0.20"),  # fixed
    ],
)
def test_standard_from_declared_income(category, income, standard):
    assert services.dues_standard(category=category, monthly_income=D(income)) == D(standard)


def test_rates_are_settings(settings):
    settings.BRANCHLIFE_DUES_FIXED = {"student": "0.50"}
    assert services.dues_standard(category="student", monthly_income=D(0)) == D("0.50")


@pytest.fixture
def member(world):
    return f.PartyMemberFactory(name="赵磊", organization=world.branch_delivery)


def _declare(actor, member, income, year=2026):
    return services.declaration_create(
        actor=actor,
        data={"member": member, "year": year, "monthly_income": D(income)},
    )


def test_declaration_derives_the_standard_and_is_yearly(world, member):
    declaration = _declare(world.secretary_delivery, member, "4000")
    assert declaration.monthly_standard == D("40.00")
    with pytest.raises(ValidationError) as exc:
        _declare(world.secretary_delivery, member, "5000")
    assert "year" in exc.value.message_dict
    assert DuesDeclaration.objects.count() == 1


def test_declaration_outside_scope_is_refused(world, member):
    with pytest.raises(ValidationError):
        _declare(world.secretary_express, member, "4000")
    assert not DuesDeclaration.objects.exists()


def _pay(actor, member, months, amount, **kw):
    return services.payment_record(
        actor=actor,
        member=member,
        months=[dt.date(2026, m, 1) for m in months],
        amount=D(amount),
        channel=PaymentChannel.WECHAT,
        paid_on=dt.date(2026, 3, 5),
        **kw,
    )


def _nothing_written():
    return not DuesPayment.objects.exists() and not DuesMonth.objects.exists()


def test_payment_covers_months_and_is_audited(world, member):
    _declare(world.secretary_delivery, member, "4000")
    payment = _pay(world.secretary_delivery, member, [1, 2, 3], "120.00", receipt_number="R1")
    months = list(payment.months.order_by("month").values_list("month", "amount", "below_standard"))
    assert months == [
        (dt.date(2026, 1, 1), D("40.00"), False),
        (dt.date(2026, 2, 1), D("40.00"), False),
        (dt.date(2026, 3, 1), D("40.00"), False),
    ]
    assert payment.organization == world.branch_delivery
    assert AuditEvent.objects.filter(verb="pay").count() == 4  # the payment and its 3 months


def test_negative_payment_is_refused(world, member):
    with pytest.raises(ValidationError) as exc:
        _pay(world.secretary_delivery, member, [1], "-1")
    assert "amount" in exc.value.message_dict
    assert _nothing_written()


def test_a_month_cannot_be_paid_twice(world, member):
    _pay(world.secretary_delivery, member, [1, 2], "80")
    with pytest.raises(ValidationError) as exc:
        _pay(world.secretary_delivery, member, [2, 3], "80")
    assert "months" in exc.value.message_dict
    assert "2026-02" in exc.value.message_dict["months"][0]
    assert DuesPayment.objects.count() == 1 and DuesMonth.objects.count() == 2


def test_a_month_listed_twice_or_none_is_refused(world, member):
    for months in ([1, 1], []):
        with pytest.raises(ValidationError) as exc:
            _pay(world.secretary_delivery, member, months, "10")
        assert "months" in exc.value.message_dict
    assert _nothing_written()


def test_below_standard_is_flagged_not_refused(world, member):
    _declare(world.secretary_delivery, member, "8000")  # 120.00 a month
    payment = _pay(world.secretary_delivery, member, [1, 2], "200.00")
    assert payment.below_standard
    assert set(payment.months.values_list("below_standard", flat=True)) == {True}


def test_member_outside_scope_or_not_paying(world, member):
    with pytest.raises(ValidationError):
        _pay(world.secretary_express, member, [1], "10")
    member.status = MemberStatus.SUSPENDED
    member.save()
    with pytest.raises(ValidationError) as exc:
        _pay(world.secretary_delivery, member, [1], "10")
    assert "member" in exc.value.message_dict
    assert _nothing_written()


def test_unpaid_six_months_and_arrears(world, member):
    today = dt.date(2026, 8, 15)  # window: February to July
    other = f.PartyMemberFactory(name="钱敏", organization=world.branch_delivery)
    _pay(world.staff, member, [1], "10")  # January only: six months unpaid since
    _pay(world.staff, other, [1, 2, 3, 4, 5, 6, 7], "70")
    flagged = list(selectors.unpaid_six_months(world.secretary_delivery, today=today))
    assert flagged == [member]
    assert list(selectors.unpaid_six_months(world.secretary_express, today=today)) == []
    owed = {m.pk: m.months_owed for m in selectors.arrears(world.staff, today=today)}
    assert owed == {member.pk: 6}


def test_collection_rollup_matches_hand_computed(world):
    # Delivery branch: 3 members (standards 40, 15, none); express branch: 1 (150).
    a = f.PartyMemberFactory(organization=world.branch_delivery)
    b = f.PartyMemberFactory(organization=world.branch_delivery)
    f.PartyMemberFactory(organization=world.branch_delivery)
    c = f.PartyMemberFactory(organization=world.branch_express)
    _declare(world.staff, a, "4000")
    _declare(world.staff, b, "3000")
    _declare(world.staff, c, "10000")
    _pay(world.staff, a, [1, 2], "80")
    _pay(world.staff, b, [1], "15")
    _pay(world.staff, c, [2], "150")
    # Joined on 10 February: due from February, not in January. Joined in March: due in neither.
    late = f.PartyMemberFactory(organization=world.branch_delivery, joined_on=dt.date(2026, 2, 10))
    _declare(world.staff, late, "5000")  # 50
    f.PartyMemberFactory(organization=world.branch_express, joined_on=dt.date(2026, 3, 1))
    months = [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    rows = {
        (r.organization_id, r.month.month): (r.due, r.paid, r.standard, r.amount)
        for r in selectors.collection_rollup(world.staff, months=months)
    }
    assert rows[(world.branch_delivery.pk, 1)] == (3, 2, D("55.00"), D("55.00"))
    assert rows[(world.branch_delivery.pk, 2)] == (4, 1, D("105.00"), D("40.00"))
    assert rows[(world.branch_express.pk, 2)] == (1, 1, D("150.00"), D("150.00"))
    assert rows[(world.committee_delivery.pk, 1)] == (3, 2, D("55.00"), D("55.00"))
    assert rows[(world.working_committee.pk, 1)] == (4, 2, D("205.00"), D("55.00"))
    assert rows[(world.working_committee.pk, 2)] == (5, 2, D("255.00"), D("190.00"))
    # A secretary sees their subtree only: no express figure, no working committee row.
    mine = {
        (r.organization_id, r.month.month): r.paid
        for r in selectors.collection_rollup(world.secretary_delivery, months=months)
    }
    assert world.branch_express.pk not in {k[0] for k in mine}
    assert mine[(world.committee_delivery.pk, 1)] == 2


def test_handover_goes_up_the_tree(world):
    handover = services.handover_create(
        actor=world.secretary_delivery,
        data={
            "organization": world.branch_delivery,
            "month": dt.date(2026, 1, 1),
            "amount": D("55.00"),
            "handed_on": dt.date(2026, 2, 3),
        },
    )
    assert handover.to_organization == world.committee_delivery
    with pytest.raises(ValidationError) as exc:
        services.handover_create(
            actor=world.staff,
            data={
                "organization": world.branch_delivery,
                "to_organization": world.branch_express,
                "month": dt.date(2026, 2, 1),
                "amount": D("1"),
                "handed_on": dt.date(2026, 2, 3),
            },
        )
    assert "to_organization" in exc.value.message_dict
