"""Training (DESIGN.md §6): the party school's catalogue (lecturers, the course menu, education
sites, learning resources), classes with sessions, enrollments and attendance, party lessons,
outreach events, online learning progress and pioneer designations.

Scope: classes and what hangs off them follow the organizer party organization (and the region
where a class is held); lessons, events and designations follow their organization. The
catalogue has no scope rule: it is reference data every signed-in user reads.
"""

from .activities import OutreachEvent, PartyLesson, PioneerDesignation, ResourceProgress
from .catalogue import Course, EducationSite, LearningResource, Lecturer, ResourcePack
from .classes import Attendance, Enrollment, Session, TrainingClass, class_scope

__all__ = [
    "Attendance",
    "Course",
    "EducationSite",
    "Enrollment",
    "LearningResource",
    "Lecturer",
    "OutreachEvent",
    "PartyLesson",
    "PioneerDesignation",
    "ResourcePack",
    "ResourceProgress",
    "Session",
    "TrainingClass",
    "class_scope",
]
