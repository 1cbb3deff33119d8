"""Reads of organization life: every function takes the acting user and reads through
``organizations.scoping``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .dues import (
    Collection,
    arrears,
    collection_rollup,
    declarations_for,
    last_complete_month,
    ledger,
    members_paying,
    missing_declarations,
    months_paid_by,
    payments_for,
    unpaid_six_months,
)
from .elections import elections_for, terms_overdue
from .meetings import (
    BranchRow,
    Cell,
    absent_six_months,
    attendance,
    branches_for,
    calendar_for,
    compliance_matrix,
    held_by_period,
    meeting_photos_for,
    meeting_roll,
    meetings_for,
    required_kinds,
    upcoming_for,
    window,
)

__all__ = [
    "BranchRow",
    "Cell",
    "Collection",
    "absent_six_months",
    "arrears",
    "attendance",
    "branches_for",
    "calendar_for",
    "collection_rollup",
    "compliance_matrix",
    "dashboard_figures",
    "declarations_for",
    "elections_for",
    "held_by_period",
    "last_complete_month",
    "ledger",
    "meeting_photos_for",
    "meeting_roll",
    "meetings_for",
    "members_paying",
    "missing_declarations",
    "months_paid_by",
    "payments_for",
    "required_kinds",
    "terms_overdue",
    "unpaid_six_months",
    "upcoming_for",
    "window",
]


def dashboard_figures(user: Any) -> list[dict[str, Any]]:
    """Organization-life cards: last month's dues collection (members paid / due), members
    flagged under the six-month rules, organizations whose term is overdue. Constant queries."""
    today = timezone.localdate()
    last = last_complete_month(today)
    members_due = members_paying(user).count()
    from organizations.scoping import visible

    from ..models import DuesMonth

    paid = visible(DuesMonth, user).filter(month=last).count()
    note = f"{last:%Y-%m}"
    return [
        {
            "key": "dues_collection",
            "title": _("Dues paid last month"),
            "value": paid,
            "denominator": members_due,
            "url": reverse("branchlife:dues"),
            "note": note,
            "rate_label": _("of members due"),
        },
        {
            "key": "absent_six_months",
            "title": _("Absent six months without leave"),
            "value": absent_six_months(user, today=today).count(),
            "denominator": None,
            "url": reverse("branchlife:flags"),
            "note": _("for the branch's decision"),
        },
        {
            "key": "unpaid_six_months",
            "title": _("Six months of dues unpaid"),
            "value": unpaid_six_months(user, today=today).count(),
            "denominator": None,
            "url": reverse("branchlife:flags"),
            "note": _("for the branch's decision"),
        },
        {
            "key": "terms_overdue",
            "title": _("Elections overdue"),
            "value": terms_overdue(user, today=today).count(),
            "denominator": None,
            "url": reverse("branchlife:terms"),
            "note": _("term ended, no election recorded"),
        },
    ]
