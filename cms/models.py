from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.cache import PageCacheMixin, fragment_cached
from core.routing import DirectRouteMixin
from courses.cache import course_tag
from courses.catalogue import course_cards_html
from courses.models import CoursePage
from courses.selectors import course_card_rows


class HomePage(DirectRouteMixin, PageCacheMixin, Page):
    """The school's front page: a hero, featured courses, latest news, the address."""

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), max_length=400, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_text = models.CharField(_("button text"), max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("button links to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_text"),
                FieldPanel("hero_cta_page"),
            ],
            heading=_("Hero"),
        ),
        InlinePanel("featured_courses", label=_("Featured courses"), max_num=6),
        FieldPanel("body"),
    ]
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def _featured_rows(self) -> list[tuple[int, object]]:
        """(page id, translation key) of the featured courses: one query, once."""
        if not hasattr(self, "_featured_cache"):
            self._featured_cache = list(
                self.featured_courses.values_list("page_id", "page__translation_key")
            )
        return self._featured_cache

    def page_cache_tags(self):
        # The featured cards show their next edition's seats.
        return tuple(course_tag(key) for _, key in self._featured_rows())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        order = [page_id for page_id, _ in self._featured_rows()]
        rows = course_card_rows(CoursePage.objects.live().filter(pk__in=order))
        featured = sorted(rows, key=lambda row: order.index(row.pk))
        context["featured"] = featured
        context["featured_cards_html"] = course_cards_html(
            request=request, rows=featured
        )
        context["latest_news"] = (
            NewsPage.objects.live()
            .filter(locale_id=self.locale_id)
            .order_by("-date", "-pk")[:3]
        )
        return context


class HomePageFeaturedCourse(Orderable):
    home = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_courses"
    )
    page = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured course")


class StandardPage(PageCacheMixin, Page):
    """A page of prose: about the school, the MTC, the voucher, contacts."""

    intro = models.TextField(_("introduction"), max_length=500, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(PageCacheMixin, Page):
    """The list of news, newest first, paginated."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().child_of(self).order_by("-date", "-pk")
        context["news"] = Paginator(news, 10).get_page(request.GET.get("page"))
        return context


class NewsPage(PageCacheMixin, Page):
    """One piece of news of the school."""

    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(_("introduction"), max_length=500)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")


@register_setting(icon="site")
class SiteSettings(BaseGenericSetting):
    """The school's contacts, shown in the footer and on the home page."""

    school_name = models.CharField(
        _("school name"), max_length=100, default="Makers' School"
    )
    organisation = models.CharField(
        _("run by"), max_length=200, default="Camera di commercio di Torino"
    )
    address = models.CharField(
        _("address"),
        max_length=200,
        default="Manufacturing Technology Center, Corso Settembrini 178",
    )
    postcode_city = models.CharField(
        _("postcode and city"), max_length=100, default="10135 Torino"
    )
    email = models.EmailField(_("email"), default="makers.school@to.camcom.it")
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Printed in the header of every certificate (a square image)."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    @classmethod
    def _get_or_create(cls):
        # Every page shows these: kept as a fragment (core.cache), keyed by the
        # content generation that their own save bumps.
        return fragment_cached("site-settings", (), super()._get_or_create)

    panels = [
        FieldPanel("school_name"),
        FieldPanel("organisation"),
        FieldPanel("address"),
        FieldPanel("postcode_city"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("logo"),
        FieldPanel("privacy_page"),
    ]

    class Meta:
        verbose_name = _("site settings")
