from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in person's home: who they are and where to go next."""
    return TemplateResponse(request, "enrolment/dashboard.html", {})
