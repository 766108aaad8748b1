"""Core's pieces of the Wagtail admin: the failed tasks report and the
download page of staff's prepared files."""

from wagtail import hooks

from .failed_tasks_admin import failed_tasks_menu_item, failed_tasks_urls
from .prepared_views import prepared_file_admin_urls

hooks.register("register_admin_urls", failed_tasks_urls)
hooks.register("register_reports_menu_item", failed_tasks_menu_item)
hooks.register("register_admin_urls", prepared_file_admin_urls)
