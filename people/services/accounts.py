"""A person's account: their sessions on every device and their calendar feed."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from core.audit import audit_log

from ..models import CalendarFeed, User, calendar_feed_token


def user_sessions_end(*, user: User) -> int:
    """End every session of the user, on every device; returns how many ended.

    For "sign out everywhere" after a lost phone or a shared computer. Sessions
    live in the database (Django's default engine); a session holds its user
    only inside its encoded data, so each unexpired one is decoded.
    """
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def calendar_feed_ensure(*, user: User) -> CalendarFeed:
    """The person's calendar feed secret, created on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Give the person a new feed secret: the old URL answers 404 from now on.

    Audited as makers.calendar_feed.reset (never with the token itself).
    """
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = calendar_feed_token()
        feed.created_at = timezone.now()
        feed.full_clean()
        feed.save(update_fields=["token", "created_at"])
    audit_log(instance=feed, action="makers.calendar_feed.reset", user=user)
    return feed
