from .dues import DuesDeclaration, DuesHandover, DuesMonth, DuesPayment
from .elections import Election
from .meetings import Evaluation, Meeting, Participation

__all__ = [
    "DuesDeclaration",
    "DuesHandover",
    "DuesMonth",
    "DuesPayment",
    "Election",
    "Evaluation",
    "Meeting",
    "Participation",
]
