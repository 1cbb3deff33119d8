"""The demo grid: tasks in every state, a ledger whose balances are the sum of its entries and
never negative, stock never below zero, and a second run that adds nothing."""

import time

import pytest
from django.db.models import Sum

from demo import grid as demo_grid
from demo import members as members_demo
from demo import seed as demo_seed
from demo.logins import staff_user
from demo.stations import seed_stations
from grid.choices import ClaimStatus, TaskStatus
from grid.models import Claim, PointsAccount, PointsEntry, Redemption, RewardItem, Task, Volunteer

pytestmark = pytest.mark.django_db


def test_demo_grid(client):
    demo_seed.seed_demo(scale="small", seed=3, areas=["organizations"])
    staff = staff_user()
    members_demo.seed_people(actor=staff, scale="small", seed=3)
    seed_stations(actor=staff, scale="small", seed=3)
    started = time.perf_counter()
    result = demo_grid.seed_grid(actor=staff, scale="small", seed=3)
    print(f"grid demo: {time.perf_counter() - started:.1f} s")
    assert result.volunteers == Volunteer.objects.count() > 100
    assert set(Task.objects.values_list("status", flat=True)) == set(TaskStatus.values)
    statuses = set(Claim.objects.values_list("status", flat=True))
    assert statuses >= {s for s in ClaimStatus.values if s != "declined"}
    assert Task.objects.filter(campaign__isnull=False).count() == result.campaign_tasks > 0
    for account in PointsAccount.objects.all():
        total = account.entries.aggregate(s=Sum("points"))["s"] or 0
        assert account.balance == total >= 0
    assert not PointsEntry.objects.filter(balance_after__lt=0).exists()
    assert Redemption.objects.count() == result.redemptions > 0
    assert not RewardItem.objects.filter(stock__lt=0).exists()
    for task in Task.objects.filter(status__in=("open", "claimed", "done"))[:200]:
        held = task.claims.filter(status__in=("claimed", "submitted", "returned", "verified"))
        assert held.count() == task.filled <= task.slots

    client.force_login(staff)
    assert client.get("/grid/").status_code == 200
    assert Claim.objects.filter(status="submitted").exists()
    assert "grid-queue__item" in client.get("/grid/queue/").content.decode()
    campaign = Task.objects.filter(campaign__isnull=False).first().campaign
    assert client.get(f"/grid/campaigns/{campaign.pk}/").status_code == 200

    # the cells carry the volunteers' load and skills: invitations find people
    from grid.selectors import best_volunteers

    open_task = Task.objects.filter(status="open", skill="").first()
    assert len(best_volunteers(open_task, 5)) == 5

    assert demo_grid.seed_grid(actor=staff, scale="small", seed=3).volunteers == 0
