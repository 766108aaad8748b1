"""Demo images, competencies, venues, editions and sessions.

Edition dates are computed from the time of the first load; later loads find the
editions by their code and leave them where they are.
"""

import datetime as dt
from collections import Counter
from io import BytesIO
from zoneinfo import ZoneInfo

from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images import get_image_model

from courses.models import Competency, CourseEdition, CoursePage, Session, Venue
from people.models import User

from . import images as drawings
from .catalogue import COMPETENCIES, EDITIONS, ROOMS, VENUES

ROME = ZoneInfo("Europe/Rome")
HALF_DAYS = [(dt.time(9, 0), dt.time(13, 0)), (dt.time(14, 0), dt.time(18, 0))]


def load_images(*, created: Counter) -> dict:
    """Draw each picture once; an image with the same title is reused."""
    image_model = get_image_model()
    result = {}
    for key, (title, draw) in drawings.IMAGES.items():
        image = image_model.objects.filter(title=title).first()
        if image is None:
            content = ImageFile(
                BytesIO(drawings.render_jpeg(draw)),
                name=f"demo-{key}.jpg",
            )
            image = image_model(title=title, file=content)
            image._set_image_file_metadata()
            image.save()
            created["images"] += 1
        result[key] = image
    return result


def load_competencies(*, created: Counter) -> dict[str, Competency]:
    result = {}
    for code, eqf, title, title_en, description, description_en in COMPETENCIES:
        competency, was_created = Competency.objects.get_or_create(
            code=code,
            defaults={
                "eqf_level": eqf,
                "title": title,
                "title_en": title_en,
                "description": description,
                "description_en": description_en,
            },
        )
        created["competencies"] += was_created
        result[code] = competency
    return result


def load_venues(*, created: Counter) -> dict[str, Venue]:
    result = {}
    for key, fields in VENUES.items():
        venue, was_created = Venue.objects.get_or_create(
            name=fields["name"], defaults=fields
        )
        created["venues"] += was_created
        result[key] = venue
    return result


def _weekdays_from(day: dt.date):
    while True:
        if day.weekday() < 5:
            yield day
        day += dt.timedelta(days=1)


def _session_times(first_day: dt.date, count: int) -> list[tuple[dt.datetime, ...]]:
    """Half-day sessions on consecutive weekdays: morning, then afternoon."""
    days = _weekdays_from(first_day)
    times = []
    day = next(days)
    for i in range(count):
        if i and i % 2 == 0:
            day = next(days)
        start, end = HALF_DAYS[i % 2]
        times.append(
            (
                dt.datetime.combine(day, start, tzinfo=ROME),
                dt.datetime.combine(day, end, tzinfo=ROME),
            )
        )
    return times


def load_editions(
    *,
    courses: dict[str, CoursePage],
    venues: dict[str, Venue],
    users: dict[str, User],
    topics: dict[str, list[tuple[str, str]]],
    now: dt.datetime,
    created: Counter,
) -> list[CourseEdition]:
    """Create the planned editions of each Italian course, with their sessions.

    The n-th planned edition of a course has code COURSE-YEAR-n; it is looked up
    by course and n, so a later load in another year does not add a copy.
    """
    today = timezone.localdate(now)
    numbers: Counter = Counter()
    result = []
    for (
        code,
        status,
        offset,
        capacity,
        count,
        venue_key,
        teachers,
        approval,
    ) in EDITIONS:
        numbers[code] += 1
        n = numbers[code]
        course = courses[code]
        existing = CourseEdition.objects.filter(
            course=course, code__regex=rf"^{code}-[0-9]{{4}}-{n}$"
        ).first()
        if existing:
            result.append(existing)
            continue
        times = _session_times(today + dt.timedelta(days=offset), count)
        first_start = times[0][0]
        if status == "open":
            # 09:00 local time two weeks ago, as the school's office would open it.
            opens = timezone.localtime(now).replace(
                hour=9, minute=0, second=0, microsecond=0
            ) - dt.timedelta(days=14)
        else:
            opens = first_start - dt.timedelta(days=45)
        instructors = [users[key] for key in teachers]
        edition = CourseEdition(
            course=course,
            code=f"{code}-{first_start.year}-{n}",
            status=status,
            capacity=capacity,
            enrolment_opens_at=opens,
            enrolment_closes_at=first_start - dt.timedelta(days=3),
            venue=venues[venue_key],
            requires_approval=approval,
            notes=_notes(course.area, venue_key),
        )
        edition.instructors = instructors
        edition.full_clean()
        edition.save()
        created["editions"] += 1
        course_topics = topics[code]
        for i, (start, end) in enumerate(times):
            topic, topic_en = course_topics[i % len(course_topics)]
            Session.objects.create(
                edition=edition,
                start=start,
                end=end,
                room=_room(course.area, venue_key, i, count),
                topic=topic,
                topic_en=topic_en,
                instructor=instructors[i % len(instructors)],
                mandatory=i in (0, count - 1),
                sort_order=i,
            )
            created["sessions"] += 1
        result.append(edition)
    return result


def _room(area: str, venue_key: str, index: int, count: int) -> str:
    if index in (0, count - 1):
        return "Aula 1"
    if venue_key == "polito":
        return "Laboratorio partner"
    return ROOMS[area]


def _notes(area: str, venue_key: str) -> str:
    notes = []
    if area in {"additive", "robotics", "cnc"}:
        notes.append("Scarpe antinfortunistiche obbligatorie in laboratorio.")
    if venue_key == "polito":
        notes.append(
            "Le sessioni si svolgono al Politecnico di Torino, corso Duca degli "
            "Abruzzi 24: presentarsi all'ingresso principale 15 minuti prima."
        )
    return " ".join(notes)
