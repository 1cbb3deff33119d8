"""The demo appeals: through the real services, every state's events consistent, some overdue
(the board's red rows), escalations, a hot spot and a merged duplicate."""

from __future__ import annotations

import pytest
from django.db.models import Count

from appeals import selectors
from appeals.choices import DUE_STATUSES
from appeals.models import Appeal, AppealEvent, HotSpotAlert
from demo import appeals as appeals_demo
from demo import seed as demo_seed
from demo.logins import staff_user


@pytest.fixture
def demo_appeals(db):
    demo_seed.seed_demo(scale="small", seed=7, areas=["organizations"])
    staff = staff_user()
    return staff, appeals_demo.seed_appeals(actor=staff, scale="small", seed=7)


def test_demo_appeals_are_consistent_with_the_workflow(demo_appeals):
    staff, result = demo_appeals
    assert result.appeals == Appeal.objects.count() >= appeals_demo.SCALE_COUNTS["small"]
    # Each appeal's latest event says the state it is in.
    for appeal in Appeal.objects.prefetch_related("events"):
        events = list(appeal.events.all())
        assert events[0].kind == "create"
        assert events[-1].to_status == appeal.status, appeal.reference
    assert Appeal.objects.filter(status__in=DUE_STATUSES, due_at__isnull=False).exists()
    kinds = dict(AppealEvent.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    for kind in ("dispatch", "sign", "reply", "close", "visit", "archive", "escalate", "merge"):
        assert kinds.get(kind), kind
    # Counted at the seeding's moment: an appeal may fall due while the test runs.
    assert result.overdue >= 1
    assert selectors.overdue_for(staff, now=result.counted_at).count() == result.overdue
    assert selectors.overdue_for(staff).count() >= result.overdue
    assert HotSpotAlert.objects.filter(resolved=False).exists()
    # A second run adds nothing.
    again = appeals_demo.seed_appeals(actor=staff, scale="small", seed=7)
    assert again.appeals == result.appeals == Appeal.objects.count()
