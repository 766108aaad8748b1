from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import policy_registry

from courses.models import CourseEdition, EditionStatus

from .models import Certificate
from .viewsets import LOOK, CertificateViewSet, edition_button

certificate_viewset = CertificateViewSet()

LOG_ACTIONS = {
    "makers.certificate.issued": _("Certificate issued"),
    "makers.certificate.revoked": _("Certificate revoked"),
    "makers.certificate.superseded": _("Certificate superseded"),
    "makers.certificate.reissued": _("Certificate re-issued"),
    "makers.certificate.run_started": _("Certificates: bulk issue started"),
    "makers.certificate.run_resumed": _("Certificates: bulk issue resumed"),
    "makers.certificate.retimestamped": _("Certificate re-timestamped (archival)"),
}


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return certificate_viewset


@hooks.register("register_snippet_listing_buttons")
def edition_certificates_button(snippet, user, next_url=None):
    """A completed edition in the Editions listing links to its certificates."""
    if not isinstance(snippet, CourseEdition):
        return []
    if snippet.status != EditionStatus.COMPLETED:
        return []
    policy = policy_registry.get_by_type(Certificate)
    if not policy.user_has_any_permission(user, LOOK):
        return []
    return [
        edition_button(
            edition=snippet, url_name=certificate_viewset.get_url_name("edition")
        )
    ]


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    """The audit actions of certificates (core.audit)."""
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)
