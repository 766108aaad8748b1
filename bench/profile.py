"""`make profile` (= `python -m bench.profile`): where an uncached page's time goes.

Uses the bench database (kept from the last `make bench`, or created and filled
with the 500-course dataset), the same production settings, and pyinstrument
(the `bench` optional dependencies: `pip install -c constraints.txt -e ".[bench]"`).
Renders the page REPEATS times in-process with the page cache bypassed (its
generation bumped before each request, as after an edit) and prints pyinstrument's
call tree, plus the queries of one render. Examples:

    .venv/bin/python -m bench.profile                       # the catalogue
    .venv/bin/python -m bench.profile --page course         # a course page
    .venv/bin/python -m bench.profile --page home --repeats 50
    .venv/bin/python -m bench.profile --signed-in           # as a signed-in trainee
    .venv/bin/python -m bench.profile --html bench/out/catalogue.html
    .venv/bin/python -m bench.profile --page enrol       # the burst's enrolment POST

--page enrol profiles REPEATS enrolment POSTs of signed-in trainees into one
30-seat edition (the burst's requests, bench.enrolment_burst, through the same
middleware, CSRF checked, in-process) and prints, before the call tree, the
queries of one enrolment and the CPU time (this process's) of an enrolment and of
the burst's baseline view, each averaged over REPEATS requests: where an
enrolment's time goes beyond the baseline's.
"""

from __future__ import annotations

import argparse
import sys
import time

PAGES = ("catalogue", "course", "home", "enrol")


def _url(page: str) -> str:
    from . import data

    return {
        "catalogue": data.catalogue_url,
        "course": data.course_url,
        "home": data.home_url,
    }[page]()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.profile", description=__doc__
    )
    parser.add_argument("--page", choices=PAGES, default="catalogue")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--signed-in", action="store_true")
    parser.add_argument("--html", metavar="PATH", help="also write pyinstrument HTML")
    parser.add_argument(
        "--flat", action="store_true", help="functions by own time, not a call tree"
    )
    parser.add_argument(
        "--fresh-db", action="store_true", help="re-create the bench database"
    )
    args = parser.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print('pyinstrument is missing: pip install -c constraints.txt -e ".[bench]"')
        return 2

    from .environment import prepare

    prepare(reuse_db=not args.fresh_db)
    if args.page == "enrol":
        return _profile_enrolments(args, Profiler)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.cache import page_cache_invalidate

    from . import data
    from .catalogue import _client, _get, signed_in_client

    data.ensure_dataset(courses=500)
    url = _url(args.page)
    client = signed_in_client() if args.signed_in else _client()
    for _ in range(3):  # warm-up: templates, site root paths, content types
        page_cache_invalidate()
        _get(client, url)
    page_cache_invalidate()
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    # Copied now: every later request empties the connection's query log.
    queries = list(captured.captured_queries)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.repeats):
        page_cache_invalidate()
        _get(client, url)
    profiler.stop()
    who = "signed-in trainee" if args.signed_in else "anonymous"
    print(
        f"{args.page} ({url}), {who}, {args.repeats} uncached renders; "
        f"{len(queries)} queries per render:"
    )
    _print_queries(queries)
    _print_profile(profiler, args)
    return 0


def _print_queries(queries: list[dict]) -> None:
    for query in queries:
        print(f"  {query['time']}s  {query['sql'][:160]}")


def _print_profile(profiler, args) -> None:
    """pyinstrument's call tree (or --flat list), and its HTML with --html."""
    from pyinstrument.renderers import ConsoleRenderer

    if args.flat:
        renderer = ConsoleRenderer(flat=True, flat_time="self", show_all=True)
    else:
        renderer = ConsoleRenderer(unicode=True, show_all=False)
    print(profiler.output(renderer))
    if args.html:
        with open(args.html, "w") as out:
            out.write(profiler.output_html())
        print(f"written {args.html}")


def _enrolment_posts(count: int):
    """A fresh 30-seat edition, `count` signed-in trainees (the burst's sessions
    and CSRF cookies) and post(path, cookie, csrf) through one test client."""
    from django.conf import settings
    from django.test import Client

    from .enrolment_burst import _prepare_edition_and_trainees

    settings.ROOT_URLCONF = "bench.burst_urls"  # read per request: the baseline's URL
    edition, cookies = _prepare_edition_and_trainees(trainees=count, capacity=30)
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")

    def post(path: str, cookie_header: str, csrf: str) -> None:
        client.cookies.clear()
        for part in cookie_header.split("; "):
            name, value = part.split("=", 1)
            client.cookies[name] = value
        response = client.post(
            path,
            "next=/me/courses/",
            content_type="application/x-www-form-urlencoded",
            HTTP_X_CSRFTOKEN=csrf,
        )
        if response.status_code != 302:
            raise RuntimeError(f"POST {path} answered {response.status_code}")

    return edition, cookies, post


def _profile_enrolments(args, profiler_class) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .enrolment_burst import BASELINE_PATH

    warm = 10
    edition, cookies, post = _enrolment_posts(warm + 1 + 2 * args.repeats)
    enrol_path = f"/me/editions/{edition.pk}/enrol/"
    for cookie, csrf in cookies[:warm]:  # warm-up: imports, URLs, compiled reads
        post(enrol_path, cookie, csrf)
        post(BASELINE_PATH, cookie, csrf)
    with CaptureQueriesContext(connection) as captured:
        post(enrol_path, *cookies[warm])
    queries = list(captured.captured_queries)
    timed, profiled = (
        cookies[warm + 1 : warm + 1 + args.repeats],
        cookies[warm + 1 + args.repeats :],
    )
    cpu = {}
    for name, path in (("enrolment", enrol_path), ("baseline", BASELINE_PATH)):
        started = time.process_time()
        for cookie, csrf in timed:
            post(path, cookie, csrf)
        cpu[name] = (time.process_time() - started) / len(timed) * 1000
    print(f"enrolment ({enrol_path}), {len(queries)} queries:")
    _print_queries(queries)
    print(
        f"CPU time of this process per request, {len(timed)} each: enrolment "
        f"{cpu['enrolment']:.2f} ms, baseline {cpu['baseline']:.2f} ms"
    )
    profiler = profiler_class(interval=0.0005)
    profiler.start()
    for cookie, csrf in profiled:
        post(enrol_path, cookie, csrf)
    profiler.stop()
    print(f"{len(profiled)} enrolments profiled:")
    _print_profile(profiler, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
