"""HTTP as people meet it: the signed-in page view, the traffic mix from cold
processes, and nginx in the production shape with its physical limit.

- Signed-in page view: the shared page plus the `/me/fragments/` request that
  site.js makes on it, one figure (views/s = requests/s / 2), against the page's
  static twin through the same gunicorn. Target >= 0.35.
- Traffic mix: every course page (Italian and English, each at least once), the
  catalogue (its first page, filtered, deep pages), news and the home page in
  MIX_WEIGHTS' proportion, in a fixed shuffled order (wrk Lua script), sent to
  app servers started afresh for each of the REPEATS rounds (cold page cache and
  fragments). Reported: req/s, page-cache hit rate, p50 / p95 / p99, the app
  servers' CPU per request. Comparator in each round: the same sequence of the
  pages' static twins (the same bytes, gzip) through the same stack.
- Without nginx: one gunicorn (http.WORKERS), the twins served by whitenoise
  (target >= 0.7). Production shape: nginx (Debian's, deploy/nginx's snippets
  via scripts/serve_prod.py's generator) in front of two app servers
  (deploy/gunicorn.conf.py, APP_SERVER_WORKERS each), the twins served by nginx
  itself (gzip_static): the physical limit of this machine (target >= 0.5).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import random
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

from . import rigour
from .http import (
    BROWSER,
    HOST,
    WORKERS,
    compare,
    compared_rows,
    fetch_with,
    free_port,
    gunicorn_server,
    run_wrk,
    server_cpu_seconds,
    write_twin,
)
from .report import Row, error_row

PAGE_VIEW_TARGET = 0.35
MIX_TARGET = 0.7  # without nginx, against the same-stack static twins
NGINX_MIX_TARGET = 0.5  # through nginx, against nginx serving the twins
APP_SERVERS = 2
APP_SERVER_WORKERS = 2  # deploy's unit says 4, sized for a larger node
MIX_DURATION_S = int(os.environ.get("BENCH_MIX_SECONDS", 10))
MIX_LENGTH = 4000
MIX_SEED = 22
# Share of requests by kind of page: what a school's visitors open.
MIX_WEIGHTS = {
    "course page (it)": 35,
    "course page (en)": 15,
    "catalogue": 10,
    "catalogue, filtered": 12,
    "catalogue, deep page": 8,
    "news": 10,
    "home": 10,
}
LUA_DIR = "wrk"

PAGE_VIEW_LUA = """
local paths = {%s, %s}
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% 2) + 1])
end
"""

MIX_LUA = """
local paths = {%s}
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 997)
  table.insert(threads, thread)
end
function init(args)
  hits, misses, other, index = 0, 0, 0, offset
end
function request()
  index = index + 1
  return wrk.format("GET", paths[(index %% #paths) + 1])
end
function response(status, headers, body)
  local state = headers["X-Page-Cache"]
  if state == "hit" then hits = hits + 1
  elseif state == "miss" then misses = misses + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    o = o + thread:get("other")
  end
  io.write(string.format("MIX hits=%%d misses=%%d other=%%d p50=%%d p95=%%d p99=%%d\\n",
    h, m, o, latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
end
"""


def _lua_list(paths: list[str]) -> str:
    return ", ".join(json.dumps(path) for path in paths)


def _script(ctx, name: str, text: str) -> Path:
    directory = Path(ctx.out_dir) / LUA_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text)
    return path


# -- the signed-in page view --------------------------------------------------


def fragments_url(base_url: str, url: str, cookie: str) -> str:
    """The `/me/fragments/` request site.js makes on `url` (its editions)."""
    from django.urls import reverse

    body = fetch_with(base_url + url, {"Cookie": cookie})[2]
    editions = re.findall(rb'data-island-edition="(\d+)"', body)
    own = reverse("portal:fragments") + "?next=" + url
    if editions:
        own += "&editions=" + ",".join(e.decode() for e in editions)
    return own


def measure_page_view(
    ctx, base_url: str, label: str, url: str, static_url: str, cookie: str
) -> list[Row]:
    """A signed-in trainee's view of `label`: the page plus their fragments, with
    the cookies a browser holds (the session and the signed-in hint)."""
    headers = {"Cookie": f"{cookie}; ms_signed_in=1"}
    fetch_with(base_url + url, headers)  # (the first answer sets the hint cookie)
    page_headers = fetch_with(base_url + url, {**BROWSER, **headers})[1]
    shared = page_headers.get("X-Page-Cache") in ("hit", "miss")
    own = fragments_url(base_url, url, cookie)
    signed_in = b"site-logout-form" in fetch_with(base_url + own, headers)[2]
    script = _script(
        ctx,
        f"page-view-{re.sub(r'[^a-z]+', '-', label)}.lua",
        PAGE_VIEW_LUA % (json.dumps(url), json.dumps(own)),
    )
    compared = compare(
        (base_url + url, {"headers": headers, "script": script}),
        (base_url + static_url, {}),
        per=2,
    )
    problems = [
        text
        for text, wrong in (
            ("NOT the shared page", not shared),
            ("fragments NOT signed in", not signed_in),
        )
        if wrong
    ]
    return compared_rows(
        compared,
        names=(
            f"HTTP signed-in page view, {label} + /me/fragments/",
            f"HTTP static twin of {label}, same stack (whitenoise)",
            f"HTTP ratio signed-in page view/static: {label}",
        ),
        target=PAGE_VIEW_TARGET,
        unit="views/s",
        note="; ".join(["2 requests per view", *problems]),
        valid=not problems,
    )


# -- the traffic mix ------------------------------------------------------------


def mix_pages() -> dict[str, list[str]]:
    """The mix's paths by kind of page (MIX_WEIGHTS' keys)."""
    from django.conf import settings

    from cms.models import NewsPage
    from courses.models import CoursePage

    from . import data

    courses = CoursePage.objects.live().select_related("locale")
    catalogue = data.catalogue_url()
    last = -(
        -CoursePage.objects.live().filter(locale__language_code="it").count()
        // settings.CATALOGUE_PAGE_SIZE
    )
    filters = [
        "area=robotics",
        "area=cnc",
        "area=iot",
        "language=en",
        "seats=on",
        "eqf=4",
        "q=robot",
        "q=gemelli",
        "area=metrology&seats=on",
        "language=it&eqf=5",
        "area=additive&page=2",
    ]
    return {
        "course page (it)": [p.url for p in courses if p.locale.language_code == "it"],
        "course page (en)": [p.url for p in courses if p.locale.language_code == "en"],
        "catalogue": [catalogue],
        "catalogue, filtered": [f"{catalogue}?{query}" for query in filters],
        "catalogue, deep page": [
            f"{catalogue}?page={n}" for n in range(2, max(last, 2) + 1)
        ],
        "news": [page.url for page in NewsPage.objects.live()],
        "home": [data.home_url()],
    }


def mix_sequence(pages: dict[str, list[str]]) -> list[str]:
    """MIX_LENGTH requests in MIX_WEIGHTS' proportion, every course page at
    least once, in a fixed shuffled order."""
    rng = random.Random(MIX_SEED)
    kinds = [kind for kind in MIX_WEIGHTS if pages.get(kind)]
    weights = [MIX_WEIGHTS[kind] for kind in kinds]
    sequence = pages["course page (it)"] + pages["course page (en)"]
    while len(sequence) < MIX_LENGTH:
        kind = rng.choices(kinds, weights)[0]
        sequence.append(rng.choice(pages[kind]))
    rng.shuffle(sequence)
    return sequence


def write_mix_twins(ctx, sequence: list[str]) -> dict[str, str]:
    """A static twin of every page of the mix (http.write_twin); their URLs."""
    twins = {}
    with gunicorn_server(ctx, workers=WORKERS) as base_url:
        for number, url in enumerate(dict.fromkeys(sequence)):
            twins[url] = write_twin(base_url, url, f"mix/{number}.html")
    return twins


def wait_until_serving(base_url: str, workers: int, timeout: float = 120) -> None:
    """Until the app answers /healthz (which touches no cache), as a deployment's
    health check lets a fresh app server into the pool: the master listens long
    before its workers have loaded the application."""
    deadline = time.monotonic() + timeout
    answered = 0
    while answered < 2 * workers:
        try:
            status = fetch_with(base_url + "/healthz", {})[0]
        except OSError:
            status = 0
        if status == 200:
            answered += 1
        elif time.monotonic() > deadline:
            raise RuntimeError(f"{base_url} did not answer /healthz in {timeout} s")
        else:
            time.sleep(0.2)


@contextlib.contextmanager
def app_servers(ctx, count: int, workers: int):
    """`count` gunicorns with deploy/gunicorn.conf.py, serving; yields their base
    URLs."""
    config = str(Path(ctx.base_dir) / "deploy" / "gunicorn.conf.py")
    with contextlib.ExitStack() as stack:
        urls = [
            stack.enter_context(
                gunicorn_server(ctx, workers=workers, extra_args=("--config", config))
            )
            for _ in range(count)
        ]
        for url in urls:
            wait_until_serving(url, workers)
        yield urls


def _serve_prod():
    from django.conf import settings

    spec = importlib.util.spec_from_file_location(
        "serve_prod", settings.BASE_DIR / "scripts" / "serve_prod.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def nginx_server(ctx, app_urls: list[str]):
    """Debian's nginx with deploy/nginx's snippets in front of app_urls (the
    configuration make serve-prod generates); yields its base URL."""
    from django.conf import settings

    serve_prod = _serve_prod()
    port = free_port()
    conf = serve_prod.nginx_config(
        run_dir=Path(ctx.out_dir) / f"nginx-{port}",
        port=port,
        app_ports=[int(url.rsplit(":", 1)[1]) for url in app_urls],
        paths={
            "static": str(settings.STATIC_ROOT),
            "media": str(settings.MEDIA_ROOT),
            "host": HOST,
        },
    )
    process = subprocess.Popen(
        serve_prod.nginx_command(conf),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nginx exited with {process.returncode}")
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield f"http://{HOST}:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGQUIT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def _mix_counts(output: str) -> dict[str, int]:
    found = re.search(
        r"MIX hits=(\d+) misses=(\d+) other=(\d+) p50=(\d+) p95=(\d+) p99=(\d+)",
        output,
    )
    if not found:
        raise RuntimeError(f"no mix summary in wrk's output: {output[-300:]}")
    keys = ("hits", "misses", "other", "p50", "p95", "p99")
    return dict(zip(keys, map(int, found.groups()), strict=True))


def _mix_round(ctx, scripts: tuple[Path, Path], *, nginx: bool) -> dict:
    """Fresh app servers (and nginx): the mix, then the twins' mix."""
    count, workers = (APP_SERVERS, APP_SERVER_WORKERS) if nginx else (1, WORKERS)
    with app_servers(ctx, count, workers) as urls, contextlib.ExitStack() as stack:
        front = stack.enter_context(nginx_server(ctx, urls)) if nginx else urls[0]
        cpu = sum(server_cpu_seconds(url) for url in urls)
        mix = run_wrk(front + "/", duration_s=MIX_DURATION_S, script=scripts[0])
        cpu = sum(server_cpu_seconds(url) for url in urls) - cpu
        static = run_wrk(front + "/", duration_s=MIX_DURATION_S, script=scripts[1])
    for result in (mix, static):
        if not result.requests:
            raise RuntimeError(
                f"no answer in {MIX_DURATION_S} s: {result.output[-300:]}"
            )
    return {
        "mix": mix,
        "static": static,
        "counts": _mix_counts(mix.output),
        "cpu_ms": 1000 * cpu / max(mix.requests, 1),
    }


def measure_mix(ctx, scripts: tuple[Path, Path], *, nginx: bool) -> list[Row]:
    rounds = [_mix_round(ctx, scripts, nginx=nginx) for _ in range(rigour.REPEATS)]
    rates = [r["mix"].requests_per_s for r in rounds]
    static_rates = [r["static"].requests_per_s for r in rounds]
    ratios = rigour.spread(rigour.ratio_samples(rates, static_rates))
    counts = [r["counts"] for r in rounds]
    served = sum(c["hits"] + c["misses"] + c["other"] for c in counts)
    hit_rate = sum(c["hits"] for c in counts) / max(served, 1)
    errors = sum(r["mix"].non_2xx + r["mix"].socket_errors for r in rounds)
    pct = {
        p: rigour.spread([c[p] / 1000 for c in counts]).median
        for p in ("p50", "p95", "p99")
    }
    cpu = rigour.spread([r["cpu_ms"] for r in rounds])
    if nginx:
        shape = f"nginx + {APP_SERVERS} app servers x {APP_SERVER_WORKERS} workers"
        comparator, target = "nginx serving the twins (gzip_static)", NGINX_MIX_TARGET
    else:
        shape = f"gunicorn, {WORKERS} workers"
        comparator, target = "the twins, same stack (whitenoise)", MIX_TARGET
    figure_note = (
        f"{rigour.spread(rates).text(' req/s', 1)}; page-cache hit rate "
        f"{hit_rate:.1%}; latency p50 {pct['p50']:.1f} / p95 {pct['p95']:.1f} / p99 "
        f"{pct['p99']:.1f} ms (medians); app servers' CPU {cpu.text(' ms', 2)} per "
        f"request; {errors} errors; fresh processes each of {len(rounds)} rounds of "
        f"{MIX_DURATION_S} s"
    )
    return [
        Row(
            f"HTTP traffic mix, cold, {shape}",
            round(rigour.spread(rates).median, 1),
            "req/s",
            "",
            None,
            figure_note,
        ),
        Row(f"HTTP traffic mix hit rate, {shape}", round(100 * hit_rate, 1), "%"),
        Row(f"HTTP traffic mix p95, {shape}", round(pct["p95"], 1), "ms"),
        Row(f"HTTP traffic mix p99, {shape}", round(pct["p99"], 1), "ms"),
        Row(f"HTTP traffic mix CPU per request, {shape}", round(cpu.median, 2), "ms"),
        Row(
            f"HTTP static mix, {comparator}",
            round(rigour.spread(static_rates).median, 1),
            "req/s",
            "",
            None,
            rigour.spread(static_rates).text(" req/s", 1),
        ),
        Row(
            f"HTTP ratio traffic mix/static, {shape}",
            round(ratios.median, 3),
            "ratio",
            f">= {target}",
            errors == 0 and ratios.median >= target,
            ratios.text("", 3),
        ),
    ]


def run_mix(ctx) -> list[Row]:
    """The traffic mix, without nginx and through nginx (guarded, interleaved)."""
    pages = mix_pages()
    sequence = mix_sequence(pages)
    twins = write_mix_twins(ctx, sequence)
    scripts = (
        _script(ctx, "mix.lua", MIX_LUA % _lua_list(sequence)),
        _script(
            ctx, "mix-static.lua", MIX_LUA % _lua_list([twins[u] for u in sequence])
        ),
    )
    counts = ", ".join(f"{kind} {len(paths)}" for kind, paths in pages.items())
    rows = [
        Row(
            "HTTP traffic mix: distinct pages",
            len(twins),
            "pages",
            "",
            None,
            f"{counts}; {len(sequence)} requests in the sequence",
        )
    ]
    for nginx in (False, True):
        try:
            rows += rigour.guarded(
                lambda nginx=nginx: measure_mix(ctx, scripts, nginx=nginx)
            )
        except Exception as error:
            rows.append(error_row(f"HTTP traffic mix (nginx: {nginx})", error))
    return rows
