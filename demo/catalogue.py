"""Demo images, competencies, venues, editions and sessions.

Edition dates are computed from the reference time of the first load; later loads
find the editions by their code and leave them where they are.
"""

import datetime as dt
from collections import Counter

from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images import get_image_model

from courses.models import Competency, CourseEdition, CoursePage, Venue
from courses.services import session_create
from people.models import User

from .data import IMAGES_DIR, data
from .timetable import Timetable


def load_images(*, created: Counter) -> dict:
    """Each picture of demo/images once; an image with the same title is reused."""
    image_model = get_image_model()
    result = {}
    for key, spec in data("images")["images"].items():
        image = image_model.objects.filter(title=spec["title"]).first()
        if image is None:
            with open(IMAGES_DIR / spec["file"], "rb") as file:
                content = ImageFile(file, name=f"demo-{spec['file']}")
                image = image_model(title=spec["title"], file=content)
                image._set_image_file_metadata()
                image.save()
            created["images"] += 1
        result[key] = image
    return result


# Filled in on a competency loaded before they existed, where still blank.
REFERENCE_FIELDS = (
    "esco_uri",
    "ada_code",
    "ateco_code",
    "cp_istat_code",
    "assessment_method",
    "assessment_method_en",
)


def load_competencies(*, created: Counter) -> dict[str, Competency]:
    result = {}
    for spec in data("catalogue")["competencies"]:
        fields = dict(spec)
        competency, was_created = Competency.objects.get_or_create(
            code=fields.pop("code"), defaults=fields
        )
        created["competencies"] += was_created
        missing = [
            name
            for name in REFERENCE_FIELDS
            if fields.get(name) and not getattr(competency, name)
        ]
        if missing:
            for name in missing:
                setattr(competency, name, fields[name])
            competency.full_clean()
            competency.save(update_fields=missing)
        result[competency.code] = competency
    return result


def load_venues(*, created: Counter) -> dict[str, Venue]:
    result = {}
    for key, fields in data("catalogue")["venues"].items():
        venue, was_created = Venue.objects.get_or_create(
            name=fields["name"], defaults=fields
        )
        created["venues"] += was_created
        result[key] = venue
    return result


def load_editions(
    *,
    courses: dict[str, CoursePage],
    venues: dict[str, Venue],
    users: dict[str, User],
    timetable: Timetable,
    now: dt.datetime,
    created: Counter,
) -> dict[str, CourseEdition]:
    """The planned editions of each Italian course with their sessions, keyed
    COURSE/n.

    The n-th planned edition of a course has code COURSE-YEAR-n; it is looked up
    by course and n, so a later load in another year does not add a copy.
    """
    today = timezone.localdate(now)
    topics = {spec["code"]: spec["topics"] for spec in data("courses")["courses"]}
    numbers: Counter = Counter()
    result = {}
    for spec in data("catalogue")["editions"]:
        code = spec["course"]
        numbers[code] += 1
        n = numbers[code]
        course = courses[code]
        edition = CourseEdition.objects.filter(
            course=course, code__regex=rf"^{code}-[0-9]{{4}}-{n}$"
        ).first()
        if edition is None:
            edition = _edition_create(
                spec, n, course, venues, users, topics[code], timetable, now, today
            )
            created["editions"] += 1
            created["sessions"] += spec["sessions"]
        result[f"{code}/{n}"] = edition
    return result


def _edition_create(spec, n, course, venues, users, topics, timetable, now, today):
    count = spec["sessions"]
    instructors = [users[key] for key in spec["instructors"]]
    # An edition under way or over starts on the school day at or before its day.
    times = timetable.sessions_from(
        [[instructors[i % len(instructors)].pk] for i in range(count)],
        day=today + dt.timedelta(days=spec["starts_in_days"]),
        step=-1 if spec["starts_in_days"] < 0 else 1,
    )
    first_start = times[0][0]
    if spec["status"] == "open":
        # 09:00 local time two weeks ago, as the school's office would open it.
        opens = timezone.localtime(now).replace(
            hour=9, minute=0, second=0, microsecond=0
        ) - dt.timedelta(days=14)
    else:
        opens = first_start - dt.timedelta(days=45)
    venue_key = spec["venue"]
    edition = CourseEdition(
        course=course,
        code=f"{spec['course']}-{first_start.year}-{n}",
        status=spec["status"],
        capacity=spec["capacity"],
        enrolment_opens_at=opens,
        enrolment_closes_at=first_start - dt.timedelta(days=3),
        venue=venues[venue_key],
        requires_approval=spec.get("requires_approval", False),
        notes=_notes(course.area, venue_key),
    )
    edition.instructors = instructors
    edition.full_clean()
    edition.save()
    for i, (start, end) in enumerate(times):
        topic = topics[i % len(topics)]
        session_create(
            edition=edition,
            start=start,
            end=end,
            room=_room(course.area, venue_key, i, count),
            topic=topic["it"],
            topic_en=topic["en"],
            instructor=instructors[i % len(instructors)],
            mandatory=i in (0, count - 1),
            sort_order=i,
        )
    return edition


def _room(area: str, venue_key: str, index: int, count: int) -> str:
    plan = data("catalogue")
    if index in (0, count - 1):
        return plan["classroom"]
    if venue_key in plan["partner_venues"]:
        return plan["partner_lab"]
    return plan["rooms"][area]


def _notes(area: str, venue_key: str) -> str:
    notes = data("catalogue")["notes"]
    lines = [notes["lab"]] if area in notes["lab_areas"] else []
    if venue_key in notes["venues"]:
        lines.append(notes["venues"][venue_key])
    return " ".join(lines)
