"""The personal calendar feed: a person's confirmed sessions and teaching.

Opened by the secret token of people.CalendarFeed, without signing in (calendar
apps cannot). An unknown, reset or malformed token is a plain 404, the same as
for a URL that never existed; each token is rate limited. The feed shows the
person's own sessions only: never another trainee's name.
"""

import re

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_safe
from django_ratelimit.core import is_ratelimited

from courses.calendar import calendar_bytes
from courses.feeds import calendar_context, calendar_response
from courses.selectors import calendar_sessions
from people.selectors import calendar_feed_by_token

from .selectors import (
    person_calendar_fingerprint,
    person_calendar_sessions,
    person_enrolments_changed_at,
)

# people.models.calendar_feed_token(): 43 URL-safe characters.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")


def _rate() -> tuple[int, int]:
    """Requests allowed per token and window (seconds): calendar apps poll at
    most every few minutes, so this only stops hammering."""
    return getattr(settings, "MAKERS_CALENDAR_FEED_RATE", (60, 600))


def _feed_rate_limited(request: HttpRequest, token: str) -> HttpResponse | None:
    """A 429 once a token has asked too often in the window (django-ratelimit,
    keyed on the token), else None."""
    limit, period = _rate()
    if not is_ratelimited(
        request,
        group="calendar-feed",
        key=lambda group, request: token,
        rate=(limit, period),
        increment=True,
    ):
        return None
    response = HttpResponse(
        _("Too many requests for this calendar: try again later."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(period)
    return response


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    if not TOKEN_RE.fullmatch(token):
        raise Http404
    refusal = _feed_rate_limited(request, token)
    if refusal is not None:
        return refusal
    feed = calendar_feed_by_token(token=token)
    if feed is None:
        raise Http404
    user = feed.user
    language = user.language or settings.LANGUAGE_CODE
    sessions = person_calendar_sessions(user=user)
    fingerprint = person_calendar_fingerprint(user=user)
    enrolments_changed = person_enrolments_changed_at(user=user)
    stamps = [
        stamp
        for stamp in (fingerprint.newest, enrolments_changed, feed.created_at)
        if stamp
    ]

    def build() -> bytes:
        listed = list(calendar_sessions(sessions))
        with override(language):
            name = _("Makers' School: my calendar")
        context = calendar_context(
            request, sessions=listed, language=language, name=name
        )
        return calendar_bytes(listed, context=context)

    return calendar_response(
        request,
        key=(
            f"personal|{feed.pk}|{feed.created_at.isoformat()}|{language}|"
            f"{enrolments_changed}|{fingerprint.as_key()}"
        ),
        last_modified=max(stamps),
        build=build,
        filename="makers-school.ics",
        private=True,
    )
