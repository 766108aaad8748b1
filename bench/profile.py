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
"""

from __future__ import annotations

import argparse
import sys

PAGES = ("catalogue", "course", "home")


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
    for query in queries:
        print(f"  {query['time']}s  {query['sql'][:160]}")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
