"""What course evaluation registers with Wagtail: the Course evaluation menu
(questionnaires with their questions, the editions whose certificates wait for
the questionnaire, the results) and the results screens."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_views import (
    LOOK,
    CourseResultsView,
    EditionAnsweredView,
    InstructorResultsView,
    QuestionnaireDeleteView,
    ResultsIndexView,
    questionnaire_policy,
)
from .models import EvaluationRequirement, Questionnaire


class QuestionnaireViewSet(SnippetViewSet):
    pk_path_converter = "id"
    model = Questionnaire
    delete_view_class = QuestionnaireDeleteView
    icon = "list-ul"
    menu_label = _("Questionnaires")
    list_display = ["title", "title_en", "is_default", "course"]
    search_backend_name = None
    search_fields = ["title", "title_en"]

    def get_queryset(self, request):
        return Questionnaire.objects.select_related("course")


class EvaluationRequirementViewSet(SnippetViewSet):
    pk_path_converter = "id"
    model = EvaluationRequirement
    icon = "lock"
    menu_label = _("Required before certificates")
    list_display = ["edition"]
    search_backend_name = None
    search_fields = ["edition__code"]

    def get_queryset(self, request):
        return EvaluationRequirement.objects.select_related("edition")


class EvaluationGroup(SnippetViewSetGroup):
    menu_label = _("Course evaluation")
    menu_icon = "list-ul"
    menu_order = 230
    items = (QuestionnaireViewSet, EvaluationRequirementViewSet)

    def get_submenu_items(self):
        return super().get_submenu_items() + [ResultsMenuItem()]


class ResultsMenuItem(MenuItem):
    def __init__(self):
        super().__init__(
            _("Results"),
            reverse_lazy("evaluation_results"),
            name="evaluation-results",
            icon_name="table",
            order=300,
        )

    def is_shown(self, request):
        return questionnaire_policy.user_has_any_permission(request.user, LOOK)


register_snippet(EvaluationGroup)


@hooks.register("register_admin_urls")
def register_evaluation_urls():
    return [
        path(
            "evaluations/results/",
            ResultsIndexView.as_view(),
            name="evaluation_results",
        ),
        path(
            "evaluations/results/courses/<id:pk>/",
            CourseResultsView.as_view(),
            name="evaluation_course_results",
        ),
        path(
            "evaluations/results/instructors/<id:pk>/",
            InstructorResultsView.as_view(),
            name="evaluation_instructor_results",
        ),
        path(
            "evaluations/editions/<id:pk>/answered/",
            EditionAnsweredView.as_view(),
            name="evaluation_answered",
        ),
    ]
