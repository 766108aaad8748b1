import pytest
from wagtail.models import Page, Revision, Site

from cms.models import HomePage
from cms.services import WELCOME_TITLE, site_tree_ensure
from courses.models import CourseIndexPage

pytestmark = pytest.mark.django_db


def test_site_tree_ensure_builds_the_tree_once():
    assert Page.objects.filter(title=WELCOME_TITLE).exists()  # Wagtail's migration
    home, index = site_tree_ensure(
        home={"title": "Makers' School", "slug": "home", "hero_title": "Ciao"},
        index={"title": "Corsi", "slug": "corsi", "intro": "<p>Il catalogo.</p>"},
    )
    assert isinstance(home, HomePage) and isinstance(index, CourseIndexPage)
    assert (home.slug, home.hero_title, home.locale.language_code) == (
        "home",
        "Ciao",
        "it",
    )
    assert index.get_parent().pk == home.pk and index.intro == "<p>Il catalogo.</p>"
    assert home.live and index.live
    assert home.live_revision_id and index.live_revision_id
    site = Site.objects.get(is_default_site=True)
    assert (site.root_page_id, site.hostname, site.port, site.site_name) == (
        home.pk,
        "localhost",
        80,
        "Makers' School",
    )
    assert Site.objects.count() == 1
    assert not Page.objects.filter(title=WELCOME_TITLE).exists()

    pages, revisions = Page.objects.count(), Revision.objects.count()
    again = site_tree_ensure(home={"hero_title": "Changed"}, index={"title": "X"})
    assert again == (home, index)
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)
    home.refresh_from_db()
    assert home.hero_title == "Ciao"


def test_site_tree_ensure_defaults_and_repoints_the_default_site():
    home, index = site_tree_ensure()
    assert (home.title, home.slug, index.title, index.slug) == (
        "Makers' School",
        "home-it",
        "Corsi",
        "corsi",
    )
    other = Page.get_first_root_node()
    Site.objects.update(root_page=other, site_name="old")
    assert site_tree_ensure() == (home, index)
    site = Site.objects.get(is_default_site=True)
    assert (site.root_page_id, site.site_name) == (home.pk, "Makers' School")


def test_a_page_someone_built_on_the_welcome_page_is_kept():
    welcome = Page.objects.get(title=WELCOME_TITLE)
    welcome.add_child(instance=Page(title="Kept", slug="kept"))
    site_tree_ensure()
    assert Page.objects.filter(title=WELCOME_TITLE).exists()
