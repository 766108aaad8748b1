"""Bounced addresses in the Wagtail admin: staff see which addresses the school
no longer writes to, mark one by hand (as `manage.py notices_bounce` does) and
delete the mark once the person's mailbox works again."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import BouncedAddress


class BouncedAddressViewSet(SnippetViewSet):
    pk_path_converter = "id"  # core.converters: ids a row can have
    model = BouncedAddress
    icon = "mail"
    menu_label = _("Bounced addresses")
    add_to_admin_menu = True
    list_display = [
        "email",
        DateColumn("bounced_at", label=_("Bounced at"), sort_key="bounced_at"),
        "reason",
    ]
    search_backend_name = None
    search_fields = ["email"]
    ordering = ["-bounced_at"]
    panels = [FieldPanel("email"), FieldPanel("reason")]


register_snippet(BouncedAddressViewSet)
