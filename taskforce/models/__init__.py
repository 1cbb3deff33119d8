"""Models of the task force app: member units, meetings, decisions and tasks (here), the 18
measures (:mod:`taskforce.measures.models`) and the field research
(:mod:`taskforce.research.models`), all registered in this app."""

from ..measures.models import Indicator, IndicatorReport, Measure
from ..research.models import (
    Cadre,
    Campaign,
    Demand,
    Interview,
    ResearchGroup,
    ResearchOutput,
    Visit,
)
from .meetings import Decision, Meeting, MeetingDocument, Task, TaskReport
from .units import MemberUnit, TaskForce, UnitContact

__all__ = [
    "Cadre",
    "Campaign",
    "Decision",
    "Demand",
    "Indicator",
    "IndicatorReport",
    "Interview",
    "Measure",
    "Meeting",
    "MeetingDocument",
    "MemberUnit",
    "ResearchGroup",
    "ResearchOutput",
    "Task",
    "TaskForce",
    "TaskReport",
    "UnitContact",
    "Visit",
]
