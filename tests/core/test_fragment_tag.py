"""{% fragment %} (core.templatetags.fragments): a kept piece of a template that
shows an edit at once."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

from core.cache import content_changed

pytestmark = pytest.mark.django_db

TEMPLATE = (
    '{% load fragments %}{% fragment "t" who %}[{{ who }} {{ n }}]{% endfragment %}'
)


def _render(**context) -> str:
    return Template(TEMPLATE).render(Context(context))


def test_a_fragment_is_kept_per_parts_until_the_content_changes():
    assert _render(who="a", n=1) == "[a 1]"
    assert _render(who="a", n=2) == "[a 1]"  # kept: n is not one of its parts
    assert _render(who="b", n=2) == "[b 2]"
    content_changed()
    assert _render(who="a", n=3) == "[a 3]"


def test_the_kept_html_stays_safe_and_escaped_once():
    assert _render(who="<b>", n=1) == "[&lt;b&gt; 1]"
    assert _render(who="<b>", n=1) == "[&lt;b&gt; 1]"


def test_a_fragment_needs_a_quoted_name():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load fragments %}{% fragment t %}x{% endfragment %}")
