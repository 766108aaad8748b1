"""*Reports > Failed tasks* in the Wagtail admin: each queue's failed tasks
(what, when, why) and "Run again", for holders of core.manage_failed_tasks
(granted to the Staff role by people), never by is_staff alone."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from redis.exceptions import RedisError
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .failed_tasks import (
    FailedTaskError,
    failed_task_get,
    failed_task_run_again,
    failed_tasks_by_queue,
    failed_tasks_kept,
)

PERMISSION = "core.manage_failed_tasks"
LIST_URL_NAME = "makers_failed_tasks"
RUN_AGAIN_URL_NAME = "makers_failed_task_run_again"


def failed_tasks_viewable(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


class FailedTasksPermissionMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not failed_tasks_viewable(request.user):
            # A plain 403, not Wagtail's redirect to the dashboard (which it
            # makes of a PermissionDenied raised inside the admin).
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


class FailedTasksView(
    FailedTasksPermissionMixin, WagtailAdminTemplateMixin, TemplateView
):
    page_title = _("Failed tasks")
    header_icon = "warning"
    template_name = "core/admin/failed_tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kept"] = failed_tasks_kept()
        context["queues"] = {}
        if context["kept"]:
            try:
                context["queues"] = failed_tasks_by_queue()
            except RedisError:
                messages.error(
                    self.request,
                    _("The task queues cannot be reached now; try again shortly."),
                )
        return context


class FailedTaskRunAgainView(
    FailedTasksPermissionMixin, WagtailAdminTemplateMixin, TemplateView
):
    """GET asks to confirm; POST puts the task back on its queue."""

    page_title = _("Run a failed task again")
    header_icon = "redirect"
    template_name = "core/admin/failed_task_run_again.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            context["task"] = failed_task_get(
                queue=self.kwargs["queue"], job_id=self.kwargs["job_id"]
            )
        except FailedTaskError as error:
            raise Http404(str(error)) from error
        context["back_url"] = reverse(LIST_URL_NAME)
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            task = failed_task_run_again(
                queue=self.kwargs["queue"], job_id=self.kwargs["job_id"]
            )
        except FailedTaskError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(task)s is queued again on %(queue)s.")
                % {"task": task.name, "queue": task.queue},
            )
        return redirect(LIST_URL_NAME)


class FailedTasksMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return failed_tasks_viewable(request.user)


def failed_tasks_urls() -> list:
    return [
        path("reports/failed-tasks/", FailedTasksView.as_view(), name=LIST_URL_NAME),
        path(
            "reports/failed-tasks/<slug:queue>/<str:job_id>/run-again/",
            FailedTaskRunAgainView.as_view(),
            name=RUN_AGAIN_URL_NAME,
        ),
    ]


def failed_tasks_menu_item() -> MenuItem:
    return FailedTasksMenuItem(
        _("Failed tasks"),
        reverse(LIST_URL_NAME),
        name="failed-tasks",
        icon_name="warning",
        order=1200,
    )
