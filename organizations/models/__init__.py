"""Geography, sectors, the party-organization tree, enterprises and who sees what.

One module per idea: ``regions``, ``sectors`` (departments, industries), ``tree`` (the
party-organization tree), ``enterprises``, ``instructors``, ``grants`` (scope grants).
"""

from .enterprises import Enterprise, uscc_warnings_of
from .grants import ScopeGrant
from .instructors import Instructor, InstructorAssignment, InstructorEvaluation
from .regions import Region
from .sectors import Department, Industry
from .tree import (
    ALLOWED_PARENT_KINDS,
    JOINT_BRANCH_MAX_ENTERPRISES,
    ROOT_KINDS,
    K,
    PartyOrganization,
)

__all__ = [
    "ALLOWED_PARENT_KINDS",
    "JOINT_BRANCH_MAX_ENTERPRISES",
    "ROOT_KINDS",
    "Department",
    "Enterprise",
    "Industry",
    "Instructor",
    "InstructorAssignment",
    "InstructorEvaluation",
    "K",
    "PartyOrganization",
    "Region",
    "ScopeGrant",
    "uscc_warnings_of",
]
