"""The site's URLs plus one screen built on core.admin_views, for its tests."""

from django.urls import path
from wagtail.admin.auth import require_admin_access

from makers_school.urls import urlpatterns as site_urlpatterns
from tests.core.test_confirm_with_reason import CompanyNoteView

urlpatterns = [
    path(
        "admin/test-confirm/<int:pk>/",
        require_admin_access(CompanyNoteView.as_view()),
        name="test_confirm",
    ),
    *site_urlpatterns,
]
