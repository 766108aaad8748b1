from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_directory_log_actions(actions):
    """Audit actions of the graduate directory (core.audit)."""
    for name, label in {
        "makers.contact_request.send": _("Contact request: sent"),
        "makers.contact_request.accepted": _("Contact request: accepted"),
        "makers.contact_request.declined": _("Contact request: declined"),
        "makers.contact_request.withdrawn": _("Contact request: access withdrawn"),
        "makers.graduate_profile.keep_earlier": _(
            "Graduate profile: turned on again, earlier shortlists and contacts kept"
        ),
        "makers.graduate_profile.start_afresh": _(
            "Graduate profile: turned on again, earlier shortlists and contacts removed"
        ),
    }.items():
        actions.register_action(name, label, label)
