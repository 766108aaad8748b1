"""Load the whole demo in one transaction and count what was created."""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone

from .courses import COURSES
from .setup_catalogue import (
    load_competencies,
    load_editions,
    load_images,
    load_venues,
)
from .setup_pages import (
    build_italian_tree,
    ensure_home,
    ensure_locales,
    ensure_site_settings,
)
from .setup_people import load_company, load_users
from .setup_translations import build_english_tree


@transaction.atomic
def demo_load(*, now: dt.datetime | None = None) -> Counter:
    """Create whatever part of the demo is missing; never change what exists.

    Returns how many objects of each kind were created (all zero on a second run).
    """
    now = now or timezone.now()
    created: Counter = Counter()
    italian, english = ensure_locales()
    images = load_images(created=created)
    users = load_users(created=created)
    load_company(users=users, created=created)
    competencies = load_competencies(created=created)
    venues = load_venues(created=created)
    home = ensure_home(italian=italian, images=images, created=created)
    tree = build_italian_tree(
        home=home, images=images, competencies=competencies, now=now, created=created
    )
    build_english_tree(tree=tree, english=english, now=now, created=created)
    ensure_site_settings(tree=tree, created=created)
    load_editions(
        courses=tree.courses,
        venues=venues,
        users=users,
        topics={spec["code"]: spec["topics"] for spec in COURSES},
        now=now,
        created=created,
    )
    return created
