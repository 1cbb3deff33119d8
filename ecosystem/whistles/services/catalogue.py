"""Chains, chain enterprises and the policy catalogue: validated, scope-checked, audited."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core import writes
from organizations import scoping

from ..models import ChainEnterprise, IndustryChain, Policy


def _check(actor: Any, instance, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


def _city_wide(actor: Any) -> None:
    scoping.require_city_wide(actor, _("Only city-wide staff keep the policy catalogue."))


industry_chain_create, industry_chain_update, industry_chain_delete = writes.crud(
    IndustryChain, "industry_chain", check=_check
)
chain_enterprise_create, chain_enterprise_update, chain_enterprise_delete = writes.crud(
    ChainEnterprise, "chain_enterprise", check=_check
)
policy_create, policy_update, policy_delete = writes.crud(Policy, "policy", guard=_city_wide)
