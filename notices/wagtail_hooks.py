"""Bounced addresses in the Wagtail admin: staff see which addresses the school
no longer writes to, mark one by hand (as `manage.py notices_bounce` does) and
delete the mark once the person's mailbox works again. The rows are core's
(core.EmailBounce, read by core.emails.email_send); notices, which grants its
staff role, shows them."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.models import EmailBounce


class EmailBounceViewSet(SnippetViewSet):
    pk_path_converter = "id"  # core.converters: ids a row can have
    model = EmailBounce
    icon = "mail"
    menu_label = _("Bounced addresses")
    add_to_admin_menu = True
    list_display = [
        "email",
        DateColumn("marked_at", label=_("Bounced at"), sort_key="marked_at"),
        "reason",
    ]
    search_backend_name = None
    search_fields = ["email"]
    ordering = ["-marked_at"]
    panels = [FieldPanel("email"), FieldPanel("reason")]


register_snippet(EmailBounceViewSet)
