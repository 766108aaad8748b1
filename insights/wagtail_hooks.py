"""The reports' pieces of the Wagtail admin: their pages, an entry each in
the Reports menu, and the four figures on the admin's home page."""

from django.urls import path, reverse
from django.utils.http import urlencode
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from .registry import REPORTS
from .selectors import home_figures
from .views import ReportView, reports_viewable


class ReportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return reports_viewable(request.user)


@hooks.register("register_admin_urls")
def report_urls() -> list:
    return [path("reports/<slug:slug>/", ReportView.as_view(), name="makers_report")]


def _menu_item(order: int, slug: str):
    report = REPORTS[slug]

    def item() -> MenuItem:
        return ReportMenuItem(
            report.title,
            reverse("makers_report", args=[slug]),
            name=f"report-{slug}",
            icon_name=report.icon,
            order=order,
        )

    return item


for _order, _slug in enumerate(REPORTS, start=1100):
    hooks.register("register_reports_menu_item", _menu_item(_order, _slug))


class HomeFiguresPanel(Component):
    name = "makers_home_figures"
    order = 50
    template_name = "insights/admin/home_figures.html"

    def get_context_data(self, parent_context=None):
        figures = []
        for figure in home_figures():
            url = reverse("makers_report", args=[figure.report])
            if figure.by:
                url += "?" + urlencode({"by": figure.by})
            figures.append((figure, url))
        return {"figures": figures}


@hooks.register("construct_homepage_panels")
def home_figures_panel(request, panels) -> None:
    if reports_viewable(request.user):
        panels.insert(0, HomeFiguresPanel())
