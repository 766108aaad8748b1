"""Load the whole demo in one transaction and count what was created."""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from courses.models import Venue
from people.models import Company, User

from .attendance import load_attendance
from .calendar import load_calendar
from .catalogue import load_competencies, load_editions, load_images, load_venues
from .certificates import load_certificates
from .directory import load_directory
from .enrolments import load_enrolments
from .evaluations import load_evaluations
from .funding import load_funding
from .pages import Tree, build_italian_tree, ensure_home, ensure_site_settings
from .people import load_company, load_users
from .reports import load_report_history
from .timetable import Timetable
from .translations import build_english_tree


@transaction.atomic
def demo_load(*, now: dt.datetime | None = None) -> Counter:
    """Create whatever part of the demo is missing; never change what exists.

    `now` is the reference time the demo's dates are relative to (default: the
    current time); the enrolment services still read the clock themselves, so
    the editions' enrolment windows must be open then too. Returns how many
    objects of each kind were created (all zero on a second run).
    """
    now = now or timezone.now()
    created: Counter = Counter()
    italian, _ = Locale.objects.get_or_create(language_code="it")
    english, _ = Locale.objects.get_or_create(language_code="en")
    images = load_images(created=created)
    users = load_users(created=created)
    company = load_company(users=users, now=now, created=created)
    competencies = load_competencies(created=created)
    venues = load_venues(created=created)
    tree = ensure_home(italian=italian, images=images, created=created)
    build_italian_tree(
        tree=tree, images=images, competencies=competencies, now=now, created=created
    )
    build_english_tree(tree=tree, english=english, now=now, created=created)
    ensure_site_settings(tree=tree, images=images, created=created)
    editions = _load_school(
        tree=tree, venues=venues, users=users, company=company, now=now, created=created
    )
    load_evaluations(
        users=users, editions=editions, company=company, now=now, created=created
    )
    load_directory(users=users, company=company, now=now, created=created)
    load_report_history(
        courses=tree.courses,
        venues=venues,
        users=users,
        company=company,
        now=now,
        created=created,
    )
    return created


def _load_school(
    *,
    tree: Tree,
    venues: dict[str, Venue],
    users: dict[str, User],
    company: Company,
    now: dt.datetime,
    created: Counter,
) -> dict:
    """Editions, enrolments, certificates, the calendar edition and attendance,
    their sessions booked on one timetable; the editions, by demo key."""
    # Who teaches when: every loader that adds sessions books them here.
    timetable = Timetable()
    editions = load_editions(
        courses=tree.courses,
        venues=venues,
        users=users,
        timetable=timetable,
        now=now,
        created=created,
    )
    load_enrolments(users=users, editions=editions, company=company, created=created)
    load_certificates(users=users, editions=editions, company=company, created=created)
    load_calendar(
        courses=tree.courses,
        venues=venues,
        users=users,
        timetable=timetable,
        now=now,
        created=created,
    )
    load_attendance(
        users=users,
        editions=editions,
        venues=venues,
        timetable=timetable,
        now=now,
        created=created,
    )
    load_funding(
        users=users,
        editions=editions,
        courses=tree.courses,
        venues=venues,
        company=company,
        now=now,
        created=created,
    )
    return editions
