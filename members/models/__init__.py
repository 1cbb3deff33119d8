"""The members app's data, one idea per module (DESIGN.md §6, people and the two finds).

``people`` (workers, party members and the fields they share), ``rosters`` (when a roster
last saw its workers, kept without rewriting worker rows), ``letters`` (transfer letters),
``proposals`` (the matcher's proposals and decisions), ``claims`` (members reporting in),
``cases`` (found-member cases and their events).
"""

from .cases import Case, CaseEvent
from .claims import MemberClaim
from .letters import TransferLetter
from .people import PartyMember, PersonFields, Worker
from .proposals import MatchProposal
from .rosters import RosterSighting

__all__ = [
    "Case",
    "CaseEvent",
    "MatchProposal",
    "MemberClaim",
    "PartyMember",
    "PersonFields",
    "RosterSighting",
    "TransferLetter",
    "Worker",
]
