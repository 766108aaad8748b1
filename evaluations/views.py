"""The trainee's answer page, /me/evaluations/<token>/: the owner's only
(another person's token is a 404, an anonymous visitor goes to sign in), one
page built for a phone, and a clear thank-you."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from courses.selectors import editions_localize

from . import selectors, services
from .exceptions import AlreadyAnswered, EvaluationError
from .models import RATING_MAX, RATING_MIN

RATINGS = [str(n) for n in range(RATING_MIN, RATING_MAX + 1)]


def _items(evaluation, submitted) -> list[dict]:
    """Each question with its field name, its options and what was sent."""
    return [
        {
            "question": question,
            "name": str(question.pk),
            "value": submitted.get(str(question.pk), ""),
            "choices": (
                question.localized_choices()
                if question.kind == "choice"
                else [(n, n) for n in RATINGS]
            ),
        }
        for question in evaluation.questionnaire.questions.all()
    ]


@login_required
def answer(request: HttpRequest, token: str) -> HttpResponse:
    evaluation = selectors.request_of_owner(user=request.user, token=token)
    if evaluation is None:
        raise Http404
    edition = evaluation.enrolment.edition
    editions_localize(editions=[edition])
    error = None
    if request.method == "POST":
        try:
            services.response_submit(request=evaluation, data=request.POST)
        except AlreadyAnswered as refusal:
            messages.warning(request, str(refusal))
            return redirect(request.path)
        except EvaluationError as refusal:
            error = str(refusal)
        else:
            messages.success(request, _("Thank you: your answers are recorded."))
            return redirect(request.path)
    context = {
        "evaluation": evaluation,
        "edition": edition,
        "items": _items(evaluation, request.POST if error else {}),
        "error": error,
    }
    return TemplateResponse(
        request, "evaluations/answer.html", context, status=400 if error else 200
    )
