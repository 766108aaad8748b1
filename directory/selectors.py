"""Reads of the graduate directory. One rule above all: no profile data reaches
anyone but its owner unless the profile is on, the field is chosen and the viewer
acts for a verified company the graduate has not blocked. Cards are built here,
field by field, so a template cannot show what the graduate did not choose."""

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from core.i18n import localized_item
from courses.models import CourseEdition, CoursePage, EditionStatus
from courses.selectors import localized_course_title
from enrolment.models import Enrolment, EnrolmentStatus
from people.models import Company, GraduateProfile, User
from people.selectors import verified_companies_of

from .models import (
    CompanyBlock,
    ContactRequest,
    ContactStatus,
    ProfileView,
    ShortlistEntry,
)

SORTS = ("relevance", "recent")


def acting_company(*, user: User, wanted: str | None = None) -> Company | None:
    """The verified company the person searches for (?company= when several);
    None when they belong to no verified company."""
    companies = verified_companies_of(user=user)
    if not companies:
        return None
    if wanted:
        return next((c for c in companies if str(c.pk) == str(wanted)), None)
    return companies[0]


def _valid_certificates() -> QuerySet[Certificate]:
    today = timezone.localdate()
    return Certificate.objects.filter(status=CertificateStatus.VALID).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def _completed_enrolments() -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        status=EnrolmentStatus.CONFIRMED, edition__status=EditionStatus.COMPLETED
    )


def profiles_visible_to(*, company: Company | None) -> QuerySet[GraduateProfile]:
    """Published profiles of active people, for a verified company that is not
    blocked; nothing at all for anyone else."""
    if company is None or not company.is_verified:
        return GraduateProfile.objects.none()
    return GraduateProfile.objects.filter(
        is_published=True, user__is_active=True
    ).exclude(
        Exists(CompanyBlock.objects.filter(user=OuterRef("user_id"), company=company))
    )


def profile_for_company(*, company: Company | None, public_id: str):
    return (
        profiles_visible_to(company=company)
        .select_related("user")
        .filter(public_id=public_id)
        .first()
    )


def _with_competency(profiles, *, competency, eqf_min: int | None):
    """Profiles showing a valid certificate of a course that teaches the
    competency (or one at the EQF level or above). The editions of those
    courses as one id list, then a valid certificate of an enrolment in one of
    them: no page or competency table joined per certificate (EXPLAIN on issue
    10's bench, 100,000 verified competencies: a third of the time of the
    joins)."""
    taught = CoursePage.competencies.through.objects.all()
    if competency is not None:
        taught = taught.filter(competency=competency)
    if eqf_min:
        taught = taught.filter(competency__eqf_level__gte=eqf_min)
    editions = CourseEdition.objects.filter(
        course_id__in=taught.values("coursepage_id")
    )
    certs = _valid_certificates().filter(
        holder=OuterRef("user_id"), enrolment__edition_id__in=editions.values("pk")
    )
    return profiles.filter(Exists(certs), show_competencies=True)


def _with_course(profiles, *, course, area: str):
    """Profiles showing a completed course (any translation of it: editions
    name one of its pages) or one of the area."""
    done = _completed_enrolments().filter(trainee=OuterRef("user_id"))
    if course is not None:
        done = done.filter(edition__course__translation_key=course.translation_key)
    if area:
        done = done.filter(edition__course__area=area)
    return profiles.filter(Exists(done), show_courses=True)


def _with_text(profiles, *, q: str):
    """Profiles whose shown headline or skills hold `q`, a headline match
    ranking above a skills one; every profile ranks 0 without a query."""
    q = (q or "").strip()[:100]
    if not q:
        return profiles.annotate(relevance=Value(0, output_field=IntegerField()))
    in_headline = Q(show_headline=True, headline__icontains=q)
    in_skills = Q(show_skills=True, skills__icontains=q)
    return profiles.filter(in_headline | in_skills).annotate(
        relevance=Case(When(in_headline, then=Value(2)), default=Value(0))
        + Case(When(in_skills, then=Value(1)), default=Value(0)),
    )


def _sorted(profiles, *, sort: str):
    """By relevance, or ("recent") by the latest certificate a profile shows."""
    if sort != "recent":
        return profiles.order_by("-relevance", "-published_at", "pk")
    latest = (
        _valid_certificates()
        .filter(holder=OuterRef("user_id"))
        .order_by()
        .values("holder")
        .annotate(last=Max("issued_at"))
        .values("last")
    )
    return profiles.annotate(
        last_certificate=Case(
            When(show_competencies=True, then=Subquery(latest)), default=None
        )
    ).order_by(F("last_certificate").desc(nulls_last=True), "-published_at", "pk")


def directory_search(
    *,
    company: Company | None,
    q: str = "",
    competency=None,
    eqf_min: int | None = None,
    course=None,
    area: str = "",
    province: str = "",
    availability: str = "",
    sort: str = "relevance",
) -> QuerySet[GraduateProfile]:
    """The profiles a company may see that match; a filter only ever matches a
    field the graduate chose to show (a hidden field never narrows a search, so
    it cannot be guessed by filtering)."""
    profiles = profiles_visible_to(company=company)
    if competency is not None or eqf_min:
        profiles = _with_competency(profiles, competency=competency, eqf_min=eqf_min)
    if course is not None or area:
        profiles = _with_course(profiles, course=course, area=area)
    if province:
        profiles = profiles.filter(province=province.upper(), show_province=True)
    if availability:
        profiles = profiles.filter(availability=availability, show_availability=True)
    return _sorted(_with_text(profiles, q=q), sort=sort)


def directory_page(
    *, profiles: QuerySet[GraduateProfile], number, per_page: int
) -> Page:
    """One page of a search, its total counted by the same query (COUNT(*)
    OVER ()): the filters run once, not once for the count and once for the
    rows. A page past the end, or no match, falls back to Paginator's own
    queries (the last page, or an empty first page)."""
    try:
        # Past 2**31 rows OFFSET overflows; such a page is past the end anyway.
        wanted = min(max(1, int(number)), 2**31 // per_page)
    except (TypeError, ValueError):
        wanted = 1
    offset = (wanted - 1) * per_page
    rows = list(
        profiles.annotate(found=Window(Count("pk")))[offset : offset + per_page]
    )
    paginator = Paginator(profiles, per_page)
    if not rows:
        return paginator.get_page(number)
    paginator.count = rows[0].found  # count is a cached_property: set, not run
    return Page(rows, wanted, paginator)


def _verify_url(code: str) -> str:
    return reverse("certificates:verify", args=[code])


def verified_competencies(*, user_ids: list[int]) -> dict[int, list[dict]]:
    """Per person, the competencies of their valid certificates (one query), each
    linked to the certificate's public verification page. A revoked or expired
    certificate's competencies are gone."""
    result: dict[int, list[dict]] = {pk: [] for pk in user_ids}
    rows = (
        _valid_certificates()
        .filter(holder_id__in=user_ids)
        .order_by("-issued_at")
        .values_list("holder_id", "competencies", "verification_code", "issued_on")
    )
    seen: dict[int, set] = {pk: set() for pk in user_ids}
    for holder_id, competencies, code, issued_on in rows:
        verify_url = _verify_url(code)  # once per certificate, not per competency
        for item in competencies or []:
            key = item.get("code")
            if key in seen[holder_id]:
                continue
            seen[holder_id].add(key)
            result[holder_id].append(
                {
                    "code": key,
                    "title": localized_item(item, "title"),
                    "title_en": item.get("title_en"),
                    "eqf_level": item.get("eqf_level"),
                    "esco_uri": item.get("esco_uri"),
                    "issued_on": issued_on,
                    "verify_url": verify_url,
                }
            )
    return result


def completed_courses(*, user_ids: list[int]) -> dict[int, list[dict]]:
    """Per person, the courses of the completed editions they were confirmed in,
    titled in the active language (the original's title where no live
    translation exists), in one query."""
    result: dict[int, list[dict]] = {pk: [] for pk in user_ids}
    rows = (
        _completed_enrolments()
        .filter(trainee_id__in=user_ids)
        .order_by("-edition__enrolment_closes_at")
        .annotate(course_title=localized_course_title(path="edition__course"))
        .values_list(
            "trainee_id",
            "course_title",
            "edition__code",
            "edition__course__area",
        )
    )
    for trainee_id, title, code, area in rows:
        result[trainee_id].append({"title": title, "edition": code, "area": area})
    return result


def accepted_contacts(*, company: Company | None, user_ids: list[int]) -> set[int]:
    if company is None:
        return set()
    return set(
        ContactRequest.objects.filter(
            company=company, graduate_id__in=user_ids, status=ContactStatus.ACCEPTED
        ).values_list("graduate_id", flat=True)
    )


def profile_cards(
    *, profiles: list[GraduateProfile], company: Company | None, owner: bool = False
) -> list[dict]:
    """The cards of a page of profiles: only the chosen fields, in three queries
    however many profiles (competencies, courses, accepted contacts). The owner's
    preview (owner=True) shows what a company would see."""
    ids = [p.user_id for p in profiles]
    competencies = verified_competencies(user_ids=ids) if ids else {}
    courses = completed_courses(user_ids=ids) if ids else {}
    contacts = accepted_contacts(company=company, user_ids=ids) if ids else set()
    cards = []
    for profile in profiles:
        card = {
            "public_id": profile.public_id,
            "name": profile.user.get_full_name() or "—",
            "url": reverse("directory:profile", args=[profile.public_id]),
        }
        simple = ("headline", "bio", "province", "languages")
        for name in simple:
            if profile.shows(name) and getattr(profile, name):
                card[name] = getattr(profile, name)
        if profile.show_availability:
            card["availability"] = profile.get_availability_display()
        if profile.show_skills and profile.skills:
            card["skills"] = [s.strip() for s in profile.skills.split(",") if s.strip()]
        if profile.show_courses:
            card["courses"] = courses.get(profile.user_id, [])
        if profile.show_competencies:
            card["competencies"] = competencies.get(profile.user_id, [])
        if profile.show_photo and profile.photo:
            card["photo_url"] = reverse("directory:photo", args=[profile.public_id])
        if profile.show_cv and profile.cv:
            card["cv_url"] = reverse("directory:cv", args=[profile.public_id])
        if profile.user_id in contacts and not owner:
            card["email"] = profile.user.email
            if profile.show_phone and profile.phone:
                card["phone"] = profile.phone
        cards.append(card)
    return cards


def profile_earlier_links(*, profile: GraduateProfile) -> dict[str, int]:
    """What companies kept of the profile from before it was turned off: how
    many saved it to their shortlist, how many may see the email address after
    an accepted request. Asked about when it is turned on again."""
    return {
        "shortlists": ShortlistEntry.objects.filter(profile=profile).count(),
        "contacts": ContactRequest.objects.filter(
            graduate_id=profile.user_id, status=ContactStatus.ACCEPTED
        ).count(),
    }


def contact_request_recent(*, company: Company, graduate: User, days: int = 30):
    since = timezone.now() - timezone.timedelta(days=days)
    return ContactRequest.objects.filter(
        company=company, graduate=graduate, created_at__gte=since
    ).first()


def company_contact_requests(*, company: Company) -> QuerySet[ContactRequest]:
    return ContactRequest.objects.filter(company=company).select_related(
        "graduate", "graduate__graduate_profile", "sent_by"
    )


def graduate_contact_requests(*, user: User) -> QuerySet[ContactRequest]:
    return ContactRequest.objects.filter(graduate=user).select_related(
        "company", "sent_by"
    )


def shortlist(*, company: Company) -> list[GraduateProfile]:
    """The company's saved graduates still visible to it, newest first."""
    return list(
        profiles_visible_to(company=company)
        .filter(shortlisted_by__company=company)
        .select_related("user")
        .order_by("-shortlisted_by__created_at")
    )


def shortlisted_ids(*, company: Company | None, profile_ids: list[int]) -> set[int]:
    if company is None:
        return set()
    return set(
        company.shortlist.filter(profile_id__in=profile_ids).values_list(
            "profile_id", flat=True
        )
    )


def profile_views_of(*, user: User) -> QuerySet[ProfileView]:
    """Which companies looked at the person's profile, and when (per day)."""
    return ProfileView.objects.filter(profile__user=user).select_related("company")


def blocked_companies(*, user: User) -> QuerySet[CompanyBlock]:
    return CompanyBlock.objects.filter(user=user).select_related("company")
