"""`{% fragment "name" part ... %}...{% endfragment %}`: a piece of a template kept
in this process's fragment cache (core.cache.fragment_cached), keyed by its name,
the parts given and the content generation, so a saved edit shows at once.

The parts must name everything the piece shows that a save does not change (the
language, the host its links are built for). Like core.cache's other fragments,
only for what looks the same to every viewer.
"""

from django import template

from core.cache import fragment_cached

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name: str, parts: list):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts

    def render(self, context) -> str:
        parts = [part.resolve(context) for part in self.parts]
        return fragment_cached(self.name, parts, lambda: self.nodelist.render(context))


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "'\"" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            '{% fragment %} needs a quoted name: {% fragment "name" part ... %}'
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]]
    )
