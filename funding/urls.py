"""A company manager's funding pages, mounted at /me/ beside portal's company
area."""

from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("company/funding/", views.company_funding, name="company_funding"),
    path(
        "company/funding/export/<str:fmt>/",
        views.company_funding_export,
        name="company_funding_export",
    ),
]
