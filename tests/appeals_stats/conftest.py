"""Fixtures of the statistics tests: the appeals catalogues and a known set of appeals."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from appeals import services
from tests.appeals.conftest import MONDAY_9, catalogues, file_appeal, local  # noqa: F401

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


@pytest.fixture
def known(world, file_appeal, catalogues):  # noqa: F811  (fixtures imported above)
    """Five appeals whose figures are worked out by hand in the tests:

    * ``a1`` wages, Meituan outlet: dispatched after 1 h, signed, replied, closed, rated 5
      (archived);
    * ``a2`` account ban, Meituan outlet: dispatched after 1 h, later escalated for signing
      late, signed, replied, closed, rated 2 (reopened one level up);
    * ``a3`` wages, express outlet: escalated before anyone dispatched it, disputed by the
      committee, then dispatched to the working committee;
    * ``a4`` a duplicate of ``a1``, merged (left out of every figure);
    * ``a5`` wages, delivery outlet in district B without a platform, in April, just received.
    """
    staff = world.staff

    def finish(appeal, *, start, score):
        appeal = services.appeal_sign(actor=staff, appeal=appeal, now=start)
        appeal = services.appeal_reply(actor=staff, appeal=appeal, reply="已处理。", now=start + H)
        appeal = services.appeal_close(actor=staff, appeal=appeal, now=start + 2 * H)
        return services.appeal_visit(actor=staff, appeal=appeal, score=score, now=start + 3 * H)

    a1 = file_appeal(now=MONDAY_9)
    a1 = services.appeal_dispatch(
        actor=staff, appeal=a1, organization=world.branch_delivery, now=MONDAY_9 + H
    )
    a1 = finish(a1, start=MONDAY_9 + 2 * H, score=5)

    a2 = file_appeal(now=MONDAY_9, category=catalogues["account_ban"])
    a2 = services.appeal_dispatch(
        actor=staff, appeal=a2, organization=world.branch_delivery, now=MONDAY_9 + H
    )
    assert services.appeal_escalate(appeal_id=a2.pk, now=MONDAY_9 + 3 * D)
    a2.refresh_from_db()
    a2 = finish(a2, start=MONDAY_9 + 3 * D + H, score=2)

    a3 = file_appeal(
        now=MONDAY_9,
        industry=world.express,
        region=world.district_a,
        enterprise=world.ent_express_a,
        contact_phone="13700000001",
    )
    assert services.appeal_escalate(appeal_id=a3.pk, now=MONDAY_9 + 2 * D)
    a3.refresh_from_db()
    a3 = services.appeal_dispute(
        actor=staff, appeal=a3, reason="不属本委", now=MONDAY_9 + 2 * D + H
    )
    a3 = services.appeal_dispatch(
        actor=staff, appeal=a3, organization=world.working_committee, now=MONDAY_9 + 2 * D + 2 * H
    )

    a4 = file_appeal(now=MONDAY_9 + 2 * H)
    a4 = services.appeal_merge(actor=staff, appeal=a4, into=a1, now=MONDAY_9 + 3 * H)

    a5 = file_appeal(
        now=local(2026, 4, 7, 10, 0),
        region=world.district_b,
        enterprise=world.ent_delivery_b,
        contact_phone="13700000002",
    )
    for appeal in (a1, a2, a3, a4, a5):
        appeal.refresh_from_db()
    return SimpleNamespace(a1=a1, a2=a2, a3=a3, a4=a4, a5=a5)
