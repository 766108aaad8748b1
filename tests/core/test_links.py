"""core.links: a lower app links to a page a higher app serves by a neutral
name the higher app registered."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template

from core.links import link_register, page_link


def test_registered_names_reverse_to_the_higher_apps_pages():
    assert page_link("personal_area") == "/me/"
    assert page_link("company_join", "abc") == "/me/company/join/abc/"


def test_the_template_tag_gives_the_same_path():
    html = Template('{% load links %}{% page_link "company_register" %}').render(
        Context()
    )
    assert html == page_link("company_register")


def test_an_unregistered_name_fails_loudly():
    with pytest.raises(ImproperlyConfigured):
        page_link("nobody_registered_this")


def test_two_apps_cannot_claim_one_name():
    link_register(name="personal_area", url_name="portal:dashboard")  # the same: fine
    with pytest.raises(ImproperlyConfigured):
        link_register(name="personal_area", url_name="cms:elsewhere")
