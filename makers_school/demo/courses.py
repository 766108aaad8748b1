"""The demo courses. `code` is the stable key; `topics` are the session topics of
every edition, in order, as (Italian, English) pairs; `requires` lists the codes of
prerequisite courses."""

from .course_base import FREE_EN, FREE_IT, VOUCHER_EN, VOUCHER_IT
from .courses_digital import DIGITAL
from .courses_making import MAKING

COURSES = MAKING + DIGITAL

# The courses featured on the home page, in order.
FEATURED = ["AM-101", "ROB-101", "DT-101"]

__all__ = ["COURSES", "FEATURED", "FREE_EN", "FREE_IT", "VOUCHER_EN", "VOUCHER_IT"]
