"""The staff side of course evaluation in the Wagtail admin: the results per
course and per instructor (anonymous figures, edition by edition), and who has
answered an edition's questionnaire (names only, never what they answered).
Checked by the Questionnaire model's permission policy."""

from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import DeleteView

from courses.models import CourseEdition, CoursePage
from people.models import User

from . import results, selectors
from .models import Questionnaire

questionnaire_policy = ModelPermissionPolicy(Questionnaire)
LOOK = ["view", "change"]


class QuestionnaireDeleteView(DeleteView):
    """A questionnaire already sent (its requests and responses keep it) is
    not deleted: a message says so instead of an error page."""

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                return super().post(request, *args, **kwargs)
        except ProtectedError:
            messages.error(
                request,
                _(
                    "This questionnaire was sent to trainees and is kept with "
                    "their answers: edit it instead, or make another the default."
                ),
            )
            return redirect(self.get_success_url())


class ResultsMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    permission_policy = questionnaire_policy
    any_permission_required = LOOK
    header_icon = "list-ul"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("evaluation_results"), "label": _("Evaluation results")},
            {"url": "", "label": self.get_page_subtitle()},
        ]


class ResultsIndexView(ResultsMixin, TemplateView):
    template_name = "evaluations/admin/results_index.html"

    def get_page_title(self):
        return _("Evaluation results")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": _("Evaluation results")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            courses=selectors.courses_evaluated(),
            instructors=selectors.instructors_evaluated(),
            min_answers=results.MIN_ANSWERS,
        )
        return context


class CourseResultsView(ResultsMixin, TemplateView):
    template_name = "evaluations/admin/results.html"

    @cached_property
    def course(self) -> CoursePage:
        return get_object_or_404(CoursePage, pk=self.kwargs["pk"])

    def get_page_title(self):
        return _("Course evaluation")

    def get_page_subtitle(self):
        return f"{self.course.code} {self.course.title}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            results=results.course_results(course=self.course),
            min_answers=results.MIN_ANSWERS,
        )
        return context


class InstructorResultsView(ResultsMixin, TemplateView):
    template_name = "evaluations/admin/results.html"

    @cached_property
    def instructor(self) -> User:
        return get_object_or_404(User, pk=self.kwargs["pk"])

    def get_page_title(self):
        return _("Instructor evaluation")

    def get_page_subtitle(self):
        return str(self.instructor)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            results=results.instructor_results(instructor=self.instructor),
            min_answers=results.MIN_ANSWERS,
        )
        return context


class EditionAnsweredView(ResultsMixin, TemplateView):
    """Who has answered the edition's questionnaire and who has not."""

    template_name = "evaluations/admin/answered.html"

    @cached_property
    def edition(self) -> CourseEdition:
        return get_object_or_404(CourseEdition, pk=self.kwargs["pk"])

    def get_page_title(self):
        return _("Who has answered")

    def get_page_subtitle(self):
        return self.edition.code

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answered, waiting = selectors.who_answered(edition=self.edition)
        context.update(edition=self.edition, answered=answered, waiting=waiting)
        return context
