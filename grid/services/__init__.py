"""Writes of the grid: validated, scope-checked and audited, one transaction each.

* :mod:`.volunteers` — register, change cells and skills, pause, resume, leave;
* :mod:`.tasks` — publish, cancel, expire;
* :mod:`.claims` — claim, invite, accept, decline, proof, verify, return;
* :mod:`.points` — earn, adjust, redeem, expire; the reward catalogue;
* :mod:`.campaigns` — open, publish many tasks, close with a report.
"""

from .campaigns import campaign_close, campaign_create, campaign_open, campaign_publish_tasks
from .claims import (
    claim_accept,
    claim_decline,
    claim_return,
    claim_verify,
    proof_submit,
    task_claim,
    task_invite,
    task_invite_best,
)
from .points import (
    points_adjust,
    points_expire,
    reward_create,
    reward_delete,
    reward_redeem,
    reward_update,
)
from .tasks import task_cancel, task_create, task_update, tasks_expire
from .volunteers import (
    volunteer_create,
    volunteer_leave,
    volunteer_pause,
    volunteer_register,
    volunteer_resume,
    volunteer_update,
)

__all__ = [
    "campaign_close",
    "campaign_create",
    "campaign_open",
    "campaign_publish_tasks",
    "claim_accept",
    "claim_decline",
    "claim_return",
    "claim_verify",
    "points_adjust",
    "points_expire",
    "proof_submit",
    "reward_create",
    "reward_delete",
    "reward_redeem",
    "reward_update",
    "task_cancel",
    "task_claim",
    "task_create",
    "task_invite",
    "task_invite_best",
    "task_update",
    "tasks_expire",
    "volunteer_create",
    "volunteer_leave",
    "volunteer_pause",
    "volunteer_register",
    "volunteer_resume",
    "volunteer_update",
]
