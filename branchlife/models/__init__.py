from .dues import DuesDeclaration, DuesHandover, DuesMonth, DuesPayment
from .elections import Election
from .meetings import Evaluation, Meeting, Participation
from .photos import MeetingPhoto

__all__ = [
    "DuesDeclaration",
    "DuesHandover",
    "DuesMonth",
    "DuesPayment",
    "Election",
    "Evaluation",
    "Meeting",
    "MeetingPhoto",
    "Participation",
]
