"""`{% page_link "personal_area" %}`: the path of a page a higher app serves
and registered by a neutral name (core.links)."""

from django import template

from core.links import page_link as _page_link

register = template.Library()


@register.simple_tag
def page_link(name: str, *args) -> str:
    return _page_link(name, *args)
