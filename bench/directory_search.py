"""Directory rows of issue 22: the search page over HTTP (test client,
production settings, the bench database) at 20,000 published graduate profiles
(bench.data.ensure_directory_dataset), as a member of a verified company:
free text, broad filters, the most-recent sort and a deep page; p95 of REPEATS
after a warm-up (bench.staff_timing), target <= 50 ms each (--strict fails a
miss). bench.directory times the selector in-process; these rows pay the page.
"""

from __future__ import annotations

from .report import Row, error_row
from .staff_timing import checked_get, http_figure

NAME = "directory_search"
HOST = "127.0.0.1"
TARGET_MS = 50
SEARCHES = [
    ("free text 'saldatura'", {"q": "saldatura"}),
    ("free text, rare word 'Tecnico CNC 1999'", {"q": "Tecnico CNC 1999"}),
    (
        "broad filters (EQF >= 3, open to work)",
        {"eqf_min": 3, "availability": "open_to_work"},
    ),
    ("most recent certificate first", {"sort": "recent"}),
    ("deep page (page 400)", {"page": 400}),
    ("free text + most recent + page 20", {"q": "robot", "sort": "recent", "page": 20}),
]


def run(ctx) -> list[Row]:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from . import data
    from .directory import PROFILES, VERIFIED_COMPETENCIES, _company

    stats = data.ensure_directory_dataset(
        profiles=PROFILES, verified_competencies=VERIFIED_COMPETENCIES
    )
    company, member = _company()
    # A member the company lets search (people 0004), as the view requires.
    company.members.filter(user=member).update(can_use_directory=True)
    # The anti-scraping limit per member would stop the repeated searches.
    settings.MAKERS_DIRECTORY_RATE_PER_MINUTE = 1_000_000
    client = Client(HTTP_HOST=HOST)
    client.force_login(member)
    url = reverse("directory:search")
    scale = f"{stats.profiles:,} profiles"
    rows = []
    for label, params in SEARCHES:
        name = f"directory page: {label} ({scale})"
        try:
            rows.append(
                http_figure(name, checked_get(client, url, params), target_ms=TARGET_MS)
            )
        except Exception as error:  # noqa: BLE001 - one ERROR row, the rest runs
            rows.append(error_row(name, error))
    return rows
