"""make serve-prod (scripts/serve_prod.py): nginx in front of two app servers,
a worker per queue and a scheduler start, answer, and all stop on SIGTERM.

Production settings (plus RQ queues on the tests' Redis database 12) on an
empty SQLite file: no request here needs a table. Skipped, with the reason,
without nginx or Redis.
"""

import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import redis
from django.conf import settings

from tests.redis_dbs import worker_db

_spec = importlib.util.spec_from_file_location(
    "serve_prod", settings.BASE_DIR / "scripts" / "serve_prod.py"
)
serve_prod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serve_prod)

pytestmark = pytest.mark.slow

REDIS_URL = f"redis://127.0.0.1:6379/{worker_db(10)}"  # test_metrics flushes 12
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def redis_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        return False


needs_tools = [
    pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx is not installed"),
    pytest.mark.skipif(not redis_up(), reason="Redis is not on 127.0.0.1:6379"),
]


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


@pytest.fixture
def prod_env(tmp_path, monkeypatch):
    (tmp_path / "serve_prod_test_settings.py").write_text(
        "from makers_school.settings.production import *  # noqa: F403\n"
        f"RQ_QUEUES = {{q: {{'URL': '{REDIS_URL}'}} for q in {serve_prod.QUEUES!r}}}\n"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "serve_prod_test_settings",
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{settings.BASE_DIR}",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,makers-school.example",
        "WAGTAILADMIN_BASE_URL": "https://makers-school.example",
        "MAKERS_ALLOW_UNTIMESTAMPED": "1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": REDIS_URL,
        "MAKERS_VAR_DIR": str(tmp_path / "var"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # Set by the tests that drive a browser in this process; production's
    # checks refuse it (async.E001), and the supervisor inherits the env.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    yield env
    redis.Redis.from_url(REDIS_URL).flushdb()


def get(url: str, headers=None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for(url: str, seconds: float = 240) -> None:
    """Until `url` answers 200 (an app server loads Django and runs the
    production checks first: slow on a busy machine)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never answered")


def children(pid: int) -> set[int]:
    """Every descendant of `pid`."""
    out = subprocess.run(
        ["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True
    ).stdout
    rows = [tuple(map(int, line.split())) for line in out.splitlines()]
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in rows if parent in frontier} - found
        found |= frontier
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie waiting for its parent."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx is not installed")
def test_generated_nginx_config_passes_nginx_t(tmp_path, prod_env):
    result = subprocess.run(
        [sys.executable, "scripts/serve_prod.py", "--check-config"]
        + ["--run-dir", str(tmp_path / "run"), "--env-file", "/nonexistent"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    conf = (tmp_path / "run" / "nginx" / "nginx.conf").read_text()
    assert "server 127.0.0.1:8001" in conf and "server 127.0.0.1:8002" in conf
    assert "listen 127.0.0.1:8080;" in conf
    locations = tmp_path / "run" / "nginx" / "makers-school-locations.conf"
    assert "/srv/makers-school" not in locations.read_text()


@needs_tools[0]
@needs_tools[1]
def test_serve_prod_starts_everything_and_sigterm_stops_it(tmp_path, prod_env):
    port, app_a, app_b = free_ports(3)
    run_dir = tmp_path / "run"
    output = (tmp_path / "serve-prod.log").open("w")
    supervisor = subprocess.Popen(
        [sys.executable, "scripts/serve_prod.py", "--no-setup", "--workers", "1"]
        + ["--port", str(port), "--app-ports", f"{app_a},{app_b}"]
        + ["--run-dir", str(run_dir), "--env-file", "/nonexistent"],
        cwd=settings.BASE_DIR,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"http://127.0.0.1:{app_a}/healthz")
        wait_for(f"http://127.0.0.1:{app_b}/healthz")
        wait_for(f"{base}/healthz")
        for _ in range(6):
            assert get(f"{base}/healthz")[0] == 200
        # nginx spreads requests over both servers. (Probes are not logged; a
        # page is, whatever the empty database makes the app answer.)
        for _ in range(6):
            get(f"{base}/no-such-page/")
        log = (run_dir / "nginx" / "logs" / "access.log").read_text().splitlines()
        upstreams = {json.loads(line)["upstream"] for line in log}
        assert {f"127.0.0.1:{app_a}", f"127.0.0.1:{app_b}"} <= upstreams
        # Metrics from loopback; a relayed public client is refused by the app.
        status, body = get(f"{base}/metrics")
        assert status == 200 and b'makers_task_queue_up{queue="mail"} 1.0' in body
        assert get(f"{base}/metrics", {"X-Forwarded-For": "8.8.8.8"})[0] == 403
        # Two app servers, four workers, a scheduler, nginx, and their own.
        assert len(children(supervisor.pid)) >= 2 + 4 + 1 + 1
        workers = redis.Redis.from_url(REDIS_URL).scard("rq:workers")
        deadline = time.monotonic() + 30
        while workers < 4 and time.monotonic() < deadline:
            time.sleep(0.5)
            workers = redis.Redis.from_url(REDIS_URL).scard("rq:workers")
        assert workers == 4
        started = children(supervisor.pid)
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(timeout=60)
    output.close()
    log = (tmp_path / "serve-prod.log").read_text()
    assert supervisor.returncode == 0, log[-3000:]
    assert "serve-prod: stopped" in log
    assert [pid for pid in started if running(pid)] == []
    with pytest.raises(OSError):
        get(f"http://127.0.0.1:{port}/healthz")
