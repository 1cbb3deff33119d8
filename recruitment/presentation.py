"""A step's details as one readable line, for the portal and the admin (people by name,
choices by their label, every key by its translated name)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .choices import RecommendationMethod


def _labels() -> dict[str, str]:
    return {
        "method": _("Recommended by"),
        "contacts": _("Contact persons (full members)"),
        "introducers": _("Introducers (two full members)"),
        "class_name": _("Training class attended"),
        "hours": _("Class hours"),
        "days": _("Training days"),
        "proven": _("Proven by attendance"),
        "voting_members": _("Full members with a vote"),
        "present": _("Present"),
        "in_favour": _("In favour"),
        "member_id": _("Roster id"),
        "joined_on": _("Joined on"),
        "probation_due": _("Probation ends on"),
        "late": _("Later than the rule's time limit"),
    }


#: Keys kept for the record but not shown (ids another key shows by name).
HIDDEN = frozenset({"member", "training_class"})


def describe_details(details: dict) -> str:
    labels = _labels()
    parts = []
    for key, value in (details or {}).items():
        if key in HIDDEN:
            continue
        if isinstance(value, list):
            value = "、".join(
                str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value
            )
        elif key == "method" and value in RecommendationMethod.values:
            value = RecommendationMethod(value).label
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        parts.append(f"{labels.get(key, key)}：{value}")
    return "；".join(parts)
