"""My notices (/me/notices/): which optional notices the person receives
(notices.services); service notices are listed, not switchable."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from notices import selectors, services
from notices.exceptions import NoticeError
from notices.models import OPTIONAL_KINDS, SERVICE_KINDS, NoticeKind


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.preferences_set(
                user=request.user, receive=request.POST.getlist("receive")
            )
        except NoticeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your choices are saved."))
        return redirect("portal:notices")
    opted_out = selectors.opted_out_kinds(user=request.user)
    context = {
        "optional": [
            (kind, NoticeKind(kind).label, kind not in opted_out)
            for kind in OPTIONAL_KINDS
        ],
        "service": [NoticeKind(kind).label for kind in SERVICE_KINDS],
        "bounced": selectors.address_bounced(email=request.user.email),
    }
    return TemplateResponse(request, "portal/notices.html", context)
