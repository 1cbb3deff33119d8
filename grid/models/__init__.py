"""The grid's models: volunteers and their cells, tasks with claims and events, the points
ledger with its catalogue, and campaigns."""

from .campaigns import Campaign
from .points import PointsAccount, PointsEntry, Redemption, RewardItem
from .tasks import Claim, ProofPhoto, Task, TaskEvent
from .volunteers import Volunteer, VolunteerCell

__all__ = [
    "Campaign",
    "Claim",
    "PointsAccount",
    "PointsEntry",
    "ProofPhoto",
    "Redemption",
    "RewardItem",
    "Task",
    "TaskEvent",
    "Volunteer",
    "VolunteerCell",
]
