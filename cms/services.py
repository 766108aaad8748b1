"""Writes of the site's content: the page tree every environment starts from."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Locale, Page, Site

from courses.models import CourseIndexPage

from .models import HomePage

WELCOME_TITLE = "Welcome to your new Wagtail site!"
HOME_DEFAULTS = {
    "title": "Makers' School",
    "slug": "home-it",
    "hero_title": "Benvenuti",
}
INDEX_DEFAULTS = {"title": "Corsi", "slug": "corsi"}


def _welcome_remove(root: Page) -> None:
    """Delete the page Wagtail's first migration creates, if nobody touched it."""
    welcome = (
        Page.objects.child_of(root)
        .filter(
            title=WELCOME_TITLE,
            content_type=ContentType.objects.get_for_model(Page),
            numchild=0,
        )
        .first()
    )
    if welcome is not None:
        # A Site's root page is a cascading foreign key: park it on the root.
        Site.objects.filter(root_page=welcome).update(root_page=root)
        welcome.delete()


def _default_site_point(*, home: HomePage, hostname: str, port: int, name: str):
    """Make the default Site serve `home`; saved only when something differs."""
    site = (
        Site.objects.filter(is_default_site=True).first()
        or Site.objects.filter(hostname=hostname, port=port).first()
        or Site()
    )
    wanted = {
        "hostname": hostname,
        "port": port,
        "site_name": name,
        "root_page_id": home.pk,
        "is_default_site": True,
    }
    if site.pk is None or any(getattr(site, k) != v for k, v in wanted.items()):
        for key, value in wanted.items():
            setattr(site, key, value)
        site.save()


@transaction.atomic
def site_tree_ensure(
    *,
    home: dict | None = None,
    index: dict | None = None,
    site_name: str = "Makers' School",
    hostname: str = "localhost",
    port: int = 80,
) -> tuple[HomePage, CourseIndexPage]:
    """Root > Italian HomePage > CourseIndexPage, the home served by the default Site.

    Creates only what is missing and never changes a page that exists, so every
    call after the first returns the same pages. `home` and `index` are the field
    values of the pages it has to create (over HOME_DEFAULTS and INDEX_DEFAULTS);
    new pages are published through a revision, as an editor would. Wagtail's
    untouched welcome page gives way to the home.
    """
    locale = Locale.get_default()
    root = Page.get_first_root_node()
    home_page = HomePage.objects.child_of(root).filter(locale=locale).first()
    if home_page is None:
        _welcome_remove(root)
        home_page = HomePage(locale=locale, **{**HOME_DEFAULTS, **(home or {})})
        root.add_child(instance=home_page)
        home_page.save_revision().publish()
        home_page.refresh_from_db()  # publish() saved another copy of the row
    _default_site_point(home=home_page, hostname=hostname, port=port, name=site_name)
    index_page = CourseIndexPage.objects.child_of(home_page).first()
    if index_page is None:
        index_page = CourseIndexPage(
            locale=locale, **{**INDEX_DEFAULTS, **(index or {})}
        )
        home_page.add_child(instance=index_page)
        index_page.save_revision().publish()
        index_page.refresh_from_db()
    return home_page, index_page
