"""The certificate rendered by WeasyPrint, the peer of the reportlab renderer
(issue 9: "render at least 4x faster than WeasyPrint").

bench/templates/certificate_weasyprint.html holds the same certificate as
certificates/pdf.py draws: the same fields and bilingual wording (the
renderer's own labels), the same TTF files as @font-face, the QR code of the
verification URL as inline SVG (segno, as the renderer), A4 landscape. Each
WeasyPrint sample builds the HTML and writes the PDF, as each reportlab sample
draws and writes it, from the same issued certificate.

WeasyPrint is in the `bench` extra only (`make bench` installs it); it needs
Debian's Pango and HarfBuzz, installed here with apt-get when missing and
running as root, the way bench/http.py installs wrk.
"""

from __future__ import annotations

import importlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

from .report import Row, error_row

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "certificate_weasyprint.html"
DEBIAN_PACKAGES = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"]
REPEATS = 9
RATIO_TARGET = 4


def ensure_weasyprint():
    """The weasyprint module; Debian's libraries installed first if missing."""
    try:
        return importlib.import_module("weasyprint")
    except ImportError as error:
        raise RuntimeError(
            "WeasyPrint is not installed: pip install -c constraints.txt -e '.[bench]'"
        ) from error
    except OSError:  # the package is there, Pango is not
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            raise
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", *DEBIAN_PACKAGES],
        check=False,
        timeout=600,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    for name in [n for n in sys.modules if n.split(".")[0] == "weasyprint"]:
        del sys.modules[name]  # a half-imported module from the failed try
    return importlib.import_module("weasyprint")


def _font_uris() -> dict[str, str]:
    from certificates.pdf import FONT_FILES

    def first(name: str) -> str:
        return next(p for p in FONT_FILES[name] if p.exists()).as_uri()

    return {
        "regular": first("MakersSans"),
        "bold": first("MakersSans-Bold"),
        "oblique": first("MakersSans-Oblique"),
    }


def certificate_html(*, certificate, issuer, verification_url: str) -> str:
    """The certificate as HTML, with the renderer's wording and formats."""
    import segno
    from django.template import Context, Engine

    from certificates.pdf import CertificateRenderer, _date, _percent

    labels = CertificateRenderer.labels
    cert = certificate

    def both(key: str, **params) -> tuple[str, str]:
        return tuple(text.format(**params) for text in labels[key])

    dates = both("dates", start=_date(cert.edition_start), end=_date(cert.edition_end))
    hours = both("hours", hours=cert.hours)
    attendance = (
        labels["attendance"][0].format(percent=_percent(cert.attendance_percent, ",")),
        labels["attendance"][1].format(percent=_percent(cert.attendance_percent, ".")),
    )
    extra = []
    if cert.valid_until:
        until = both("valid_until")
        extra.append(f"{until[0]} / {until[1]} {_date(cert.valid_until)}")
    if getattr(cert, "replaces", None) is not None:
        replaces = both("replaces")
        extra.append(f"{replaces[0]} / {replaces[1]} {cert.replaces.serial}")
    logo = issuer.logo_path
    qr = segno.make(verification_url, error="m", micro=False)
    engine = Engine(dirs=[str(TEMPLATES)], autoescape=True)
    return engine.get_template(TEMPLATE).render(
        Context(
            {
                "c": cert,
                "issuer": issuer,
                "labels": labels,
                "eqf": both("eqf", level=cert.course_eqf_level),
                "facts_it": f"{dates[0]} · {hours[0]} · {attendance[0]}",
                "facts_en": f"{dates[1]} · {hours[1]} · {attendance[1]}",
                "issued_on": _date(cert.issued_on),
                "extra": " · ".join(extra),
                "logo": Path(logo).as_uri() if logo and Path(logo).is_file() else "",
                "fonts": _font_uris(),
                "qr_svg": qr.svg_inline(border=0, omitsize=True, dark="#000"),
                "verification_url": verification_url,
            }
        )
    )


def rows(*, certificate, issuer, verification_url: str, reportlab_render):
    """WeasyPrint's time and bytes for the certificate, and the ratio to
    reportlab's (`reportlab_render()`), the two timed in turn, sample by sample,
    so that both see the same load on a shared machine."""
    try:
        weasyprint = ensure_weasyprint()
    except Exception as error:  # noqa: BLE001 - one error row, not a crash
        return [error_row("certificates render one (WeasyPrint, from HTML)", error)]

    def render() -> bytes:
        html = certificate_html(
            certificate=certificate, issuer=issuer, verification_url=verification_url
        )
        return weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf()

    content = render()  # warm-up: fonts loaded, Pango and fontconfig set up
    samples: dict[str, list[float]] = {"weasyprint": [], "reportlab": []}
    for _ in range(REPEATS):
        for name, fn in (("reportlab", reportlab_render), ("weasyprint", render)):
            started = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - started) * 1000)
    weasy_ms = round(statistics.median(samples["weasyprint"]), 1)
    reportlab_ms = round(statistics.median(samples["reportlab"]), 1)
    ratio = round(weasy_ms / reportlab_ms, 1) if reportlab_ms else None
    note = _check(content, certificate)
    return [
        Row(
            "certificates render one (WeasyPrint, from HTML)",
            weasy_ms,
            "ms",
            note=f"WeasyPrint {weasyprint.__version__}; {note}",
        ),
        Row("certificates render one (WeasyPrint): bytes", len(content), "B"),
        Row(
            "certificates render: WeasyPrint / reportlab",
            ratio,
            "x",
            f">= {RATIO_TARGET}",
            ratio is not None and ratio >= RATIO_TARGET,
            f"{weasy_ms} ms / {reportlab_ms} ms, medians of {REPEATS} taken in turn",
        ),
    ]


def _check(content: bytes, certificate) -> str:
    """What the peer's PDF holds: pages, and whether name and serial are there
    (so the comparison is of the same document)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return "not read back (pypdf missing)"
    reader = PdfReader(BytesIO(content))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    found = all(
        value in text for value in (certificate.serial, certificate.holder_family_name)
    )
    verdict = "found" if found else "MISSING"
    return f"{len(reader.pages)} page(s), name and serial {verdict}"
