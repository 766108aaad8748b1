"""courses' models, one module per topic: the catalogue's vocabulary
(catalogue), its Wagtail pages (pages), editions and sessions (editions).
Every name is importable from courses.models as before."""

from .catalogue import (
    EQF_LEVELS,
    Area,
    Competency,
    TeachingLanguage,
    Venue,
    eqf_validators,
    esco_skill_validator,
)
from .editions import INSTRUCTORS, CourseEdition, EditionStatus, Session
from .pages import CourseIndexPage, CoursePage, course_catalogue_parent_register

__all__ = [
    "EQF_LEVELS",
    "INSTRUCTORS",
    "Area",
    "Competency",
    "CourseEdition",
    "CourseIndexPage",
    "CoursePage",
    "EditionStatus",
    "Session",
    "TeachingLanguage",
    "Venue",
    "course_catalogue_parent_register",
    "eqf_validators",
    "esco_skill_validator",
]
