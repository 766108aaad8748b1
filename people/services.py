from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from core.audit import audit_log

from .models import CalendarFeed, Role, User, calendar_feed_token

# What each role may do in the Wagtail admin, as "app_label.codename".
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.TRAINEE: [],
    Role.INSTRUCTOR: [],
    Role.COMPANY_MEMBER: [],
    Role.STAFF: [
        "wagtailadmin.access_admin",
        *[
            f"{app}.{action}_{model}"
            for app, model in [
                ("courses", "competency"),
                ("courses", "venue"),
                ("courses", "courseedition"),
                ("courses", "session"),
                ("people", "company"),
                ("people", "companymember"),
                ("enrolment", "enrolment"),
                ("wagtailimages", "image"),
                ("wagtaildocs", "document"),
                ("enrolment", "attendancerecord"),
                ("enrolment", "assessment"),
            ]
            for action in ("add", "change", "delete", "view")
        ],
    ],
}


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and give each exactly its permissions. Idempotent."""
    existing = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        # set(), not add(): a permission taken out of ROLE_PERMISSIONS is revoked.
        group.permissions.set([existing[name] for name in names if name in existing])


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
