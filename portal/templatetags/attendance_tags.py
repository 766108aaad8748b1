import segno
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from attendance.models import attendance_code, attendance_label

register = template.Library()


@register.simple_tag
def qr_svg(url: str, scale: int = 8) -> str:
    """The URL as an inline SVG QR code (segno); no text of the URL is in it."""
    code = segno.make(url, error="m")
    return mark_safe(  # noqa: S308  # nosec B308 B703 - segno's own SVG markup
        # omitsize: a viewBox instead of a fixed width, so CSS can fit the code
        # to a phone's screen without cutting or shifting it.
        code.svg_inline(
            scale=scale,
            title=_("Check-in code"),
            svgclass="check-in-svg",
            omitsize=True,
        )
    )


@register.filter
def assessments_for(assessments, enrolment):
    """(competency, assessment or None) pairs of one trainee."""
    return assessments.for_enrolment(enrolment)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


register.filter("attendance_code", attendance_code)
register.filter("attendance_label", attendance_label)
