"""Public calendar feeds: an edition's sessions, and one session to download.

They never opt into the page cache (core.cache): each answers conditional
requests itself, from an ETag and a Last-Modified that a single aggregate query
gives (courses.selectors.sessions_fingerprint), and builds the calendar only when
the client's copy is stale. The helpers here serve the personal feed too
(enrolment.feeds).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .calendar import (
    CalendarContext,
    CourseLink,
    calendar_bytes,
    session_changed_at,
)
from .models import Session
from .selectors import (
    calendar_sessions,
    courses_in_language,
    edition_for_calendar,
    session_for_calendar,
    sessions_fingerprint,
)

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Part of every ETag: a change of what the feeds look like makes every copy stale.
FEED_FORMAT = "1"
# Calendar apps poll on their own schedule; a proxy may keep a copy this long.
MAX_AGE = 15 * 60


def calendar_domain() -> str:
    """The site's domain, the right-hand side of every event UID."""
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def feed_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def calendar_context(
    request: HttpRequest, *, sessions: Iterable[Session], language: str, name: str
) -> CalendarContext:
    """The context of a feed: its courses' titles and links in `language`."""
    pages = courses_in_language(
        course_ids={session.edition.course_id for session in sessions},
        language=language,
    )
    return CalendarContext(
        domain=calendar_domain(),
        language=language,
        name=name,
        courses={
            pk: CourseLink(page.title, page.get_full_url(request) or "")
            for pk, page in pages.items()
        },
    )


def calendar_response(
    request: HttpRequest,
    *,
    key: str,
    last_modified: dt.datetime | None,
    build: Callable[[], bytes],
    filename: str,
    private: bool = False,
    attachment: bool = False,
) -> HttpResponse:
    """A calendar, or 304 when the client's ETag / Last-Modified is still good.

    `key` says everything the body depends on; `build` runs only when the body
    is really sent.
    """
    etag = '"{}"'.format(
        hashlib.sha256(f"{FEED_FORMAT}|{key}".encode()).hexdigest()[:40]
    )
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = HttpResponse(build(), content_type=CONTENT_TYPE)
        disposition = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    scope = "private" if private else "public"
    response["Cache-Control"] = f"{scope}, max-age={MAX_AGE}"
    return response


@require_safe
def edition_feed(request: HttpRequest, code: str) -> HttpResponse:
    """Every session of an edition (not a draft), to subscribe to or download."""
    edition = edition_for_calendar(code=code)
    if edition is None:
        raise Http404
    sessions = Session.objects.filter(edition=edition)
    fingerprint = sessions_fingerprint(sessions)
    language = feed_language()

    def build() -> bytes:
        listed = list(calendar_sessions(sessions))
        context = calendar_context(
            request, sessions=listed, language=language, name=edition.code
        )
        course = context.courses.get(edition.course_id) or CourseLink(
            edition.course.title
        )
        name = _("%(course)s (%(code)s)") % {
            "course": course.title,
            "code": edition.code,
        }
        return calendar_bytes(listed, context=replace(context, name=name))

    return calendar_response(
        request,
        key=(
            f"edition|{edition.pk}|{edition.status}|{language}|"
            f"{edition.course_published}|{edition.course_live_pages}|"
            f"{fingerprint.as_key()}"
        ),
        last_modified=max(
            (s for s in (fingerprint.newest, edition.course_published) if s),
            default=None,
        ),
        build=build,
        filename=f"{edition.code}.ics",
        attachment="download" in request.GET,
    )


@require_safe
def session_download(request: HttpRequest, uuid) -> HttpResponse:
    """One session as a calendar file, for "add to my calendar"."""
    session = session_for_calendar(uuid=uuid)
    if session is None:
        raise Http404
    language = feed_language()
    changed = session_changed_at(session)
    stamps = [stamp for stamp in (changed, session.course_published) if stamp]

    def build() -> bytes:
        context = calendar_context(
            request,
            sessions=[session],
            language=language,
            name=session.edition.code,
        )
        return calendar_bytes([session], context=context)

    return calendar_response(
        request,
        key=(
            f"session|{session.uuid}|{session.sequence}|{changed.isoformat()}|"
            f"{session.edition.status}|{session.course_published}|"
            f"{session.course_live_pages}|{language}"
        ),
        last_modified=max(stamps),
        build=build,
        filename=f"{session.edition.code}-{timezone.localtime(session.start):%Y%m%d}.ics",
        attachment=True,
    )
