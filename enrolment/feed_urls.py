"""The personal calendar feed, outside the language prefix: the feed speaks the
person's own language (User.language)."""

from django.urls import path

from . import feeds

app_name = "calendar_feeds"

urlpatterns = [
    path("<str:token>.ics", feeds.personal_feed, name="personal"),
]
