from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.models import Group
from django.shortcuts import resolve_url
from django.urls import reverse

from .models import Role


class AccountAdapter(DefaultAccountAdapter):
    """Everyone who signs up on the public site starts as a trainee."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            group, _ = Group.objects.get_or_create(name=Role.TRAINEE.value)
            user.groups.add(group)
        return user

    def get_login_redirect_url(self, request):
        # Stay in the visitor's language: /me/ in Italian, /en/me/ in English.
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_logout_redirect_url(self, request):
        return reverse("wagtail_serve", args=[""])
