"""Writes of the whistles: the catalogue (chains, chain enterprises, policies), a whistle's
steps, and the escalation of overdue departments. Faces import from this package."""

from .catalogue import (
    chain_enterprise_create,
    chain_enterprise_delete,
    chain_enterprise_update,
    industry_chain_create,
    industry_chain_delete,
    industry_chain_update,
    policy_create,
    policy_delete,
    policy_update,
)
from .escalation import assignment_escalate, escalate_overdue_whistles
from .workflow import (
    assignment_report,
    assignment_resolve,
    next_reference,
    refresh_status,
    whistle_close,
    whistle_create,
    whistle_raise,
    whistle_route,
)

__all__ = [
    "assignment_escalate",
    "assignment_report",
    "assignment_resolve",
    "chain_enterprise_create",
    "chain_enterprise_delete",
    "chain_enterprise_update",
    "escalate_overdue_whistles",
    "industry_chain_create",
    "industry_chain_delete",
    "industry_chain_update",
    "next_reference",
    "policy_create",
    "policy_delete",
    "policy_update",
    "refresh_status",
    "whistle_close",
    "whistle_create",
    "whistle_raise",
    "whistle_route",
]
