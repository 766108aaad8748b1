"""The proof of issue 25: one of two app servers SIGKILLed in the middle of the
500-trainee enrolment burst sent through nginx.

The production shape without the workers: nginx (the configuration
`make serve-prod` generates from deploy/nginx) in front of two gunicorn app
servers (deploy/gunicorn.conf.py, production settings) on the test's
PostgreSQL database and Redis database 15. One edition of CAPACITY seats,
TRAINEES trainees with verified emails, each with a signed-in session and a
CSRF cookie. Every trainee posts "enrol" at once (a thread each); once
KILL_AFTER answers have come back, the first app server (its master and its
workers) gets SIGKILL. The client sends a request again when it failed
(connection error, 502/503/504), up to ATTEMPTS times.

What nginx does (deploy/nginx/makers-school-proxy.conf): a request not yet
sent (the dead server refuses the connection) goes to the other server; a
POST already sent to the server that died is answered 502, never replayed by
nginx. The client's retry is safe because the enrolment is idempotent: one
active enrolment per trainee and edition, checked under the edition's lock,
so a retry of a request whose first try committed is told "already enrolled".

The sessions expire and the enrolment window closes by the servers' clock,
which is the machine's, not the test's frozen one: their dates come from the
real clock (time_machine's escape hatch), whatever day it is.
"""

import datetime
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import threading
import time
from collections import Counter

import pytest
import redis
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils.crypto import get_random_string
from time_machine import escape_hatch

from enrolment.models import Enrolment, EnrolmentStatus
from people.models import User
from tests.certificates.test_worker_kill import _database_url
from tests.core.test_serve_prod import free_ports, serve_prod, wait_for
from tests.enrolment.helpers import assert_invariants
from tests.factories import CourseEditionFactory
from tests.redis_dbs import worker_db

REDIS_URL = f"redis://127.0.0.1:6379/{worker_db(15)}"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TRAINEES = 500
CAPACITY = 40
KILL_AFTER = 60  # answers before the first app server dies
ATTEMPTS = 6
RETRY_STATUSES = {-1, 502, 503, 504}  # -1: the connection failed
WORKERS_PER_SERVER = 2


def _redis_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
    # Two app servers' connections beside the enrolment races' would crowd
    # PostgreSQL's 100: one xdist worker runs them one after the other.
    pytest.mark.xdist_group("enrolment_races"),
    pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx is not installed"),
    pytest.mark.skipif(not _redis_up(), reason="Redis is not on 127.0.0.1:6379"),
]


def _real_now() -> datetime.datetime:
    return datetime.datetime.fromtimestamp(escape_hatch.time.time(), tz=datetime.UTC)


def _server_env(tmp_path, secret_key: str) -> dict[str, str]:
    """Production settings on the test database and Redis database 15."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": serve_prod.PRODUCTION,
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,makers-school.example",
        "WAGTAILADMIN_BASE_URL": "https://makers-school.example",
        "MAKERS_ALLOW_UNTIMESTAMPED": "1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "RQ_REDIS_DB": str(worker_db(15)),
        "MAKERS_VAR_DIR": str(tmp_path / "var"),
        "MAKERS_ACCESS_LOG": "0",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "PYTHONUNBUFFERED": "1",
    }
    (tmp_path / "metrics").mkdir()
    # Set by the browser tests in this process; production refuses it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


@pytest.fixture
def production_shape(tmp_path, settings):
    """nginx and two app servers, started as make serve-prod starts them;
    yields (nginx port, app ports, processes, access log). Every process
    group is killed at the end, whatever happened."""
    settings.SECRET_KEY = secrets.token_urlsafe(64)  # the servers' key, too
    port, *app_ports = free_ports(3)
    run_dir = tmp_path / "run"
    paths = {
        "static": str(tmp_path / "static"),
        "media": str(tmp_path / "media"),
        "host": "makers-school.example",
    }
    conf = serve_prod.nginx_config(
        run_dir=run_dir, port=port, app_ports=app_ports, paths=paths
    )
    specs = serve_prod.commands(
        conf=conf, app_ports=app_ports, workers=WORKERS_PER_SERVER
    )
    env = _server_env(tmp_path, settings.SECRET_KEY)
    processes = {}
    log = (tmp_path / "servers.log").open("ab")
    try:
        for name in [f"app:{p}" for p in app_ports] + ["nginx"]:
            processes[name] = subprocess.Popen(  # noqa: S603 - our own commands
                specs[name],
                cwd=django_settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        for app_port in app_ports:
            wait_for(f"http://127.0.0.1:{app_port}/healthz")
        wait_for(f"http://127.0.0.1:{port}/healthz")
        yield port, app_ports, processes, run_dir / "nginx" / "logs" / "access.log"
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        log.close()
        redis.Redis.from_url(REDIS_URL).flushdb()


def _trainees_signed_in(count: int) -> list[tuple[User, str, str]]:
    """`count` trainees with a verified email, each with a session (signed in,
    valid for a day by the real clock) and a CSRF secret: (user, session key,
    CSRF secret)."""
    password = make_password(None)
    tag = secrets.token_hex(4)
    users = User.objects.bulk_create(
        User(email=f"burst-{tag}-{n}@example.com", password=password)
        for n in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in users
    )
    expires = _real_now() + datetime.timedelta(days=1)
    sessions = []
    for user in users:
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(
                session_key=get_random_string(32),
                session_data=SessionStore().encode(data),
                expire_date=expires,
            )
        )
    Session.objects.bulk_create(sessions)
    return [
        (user, session.session_key, secrets.token_hex(16))
        for user, session in zip(users, sessions, strict=True)
    ]


class Burst:
    """Every trainee's POST at once, each retried on a failure; the attempts'
    (status, X-Request-ID) per trainee. `answered` is set after `kill_after`
    answers (of any status)."""

    def __init__(self, *, port: int, path: str, trainees: list, kill_after: int):
        self.port = port
        self.path = path
        self.trainees = trainees
        self.attempts: list[list[tuple[int, str | None]]] = [[] for _ in trainees]
        self.kill_after = kill_after
        self.answers = 0
        self.answered = threading.Event()
        self.lock = threading.Lock()
        self.barrier = threading.Barrier(len(trainees) + 1)

    def headers(self, session_key: str, csrf: str) -> dict[str, str]:
        cookie = (
            f"{django_settings.SESSION_COOKIE_NAME}={session_key}; "
            f"{django_settings.CSRF_COOKIE_NAME}={csrf}"
        )
        return {
            "Host": "127.0.0.1",
            "Cookie": cookie,
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }

    def post(self, headers: dict[str, str]) -> tuple[int, str | None]:
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            client.request("POST", self.path, body="next=/me/courses/", headers=headers)
            response = client.getresponse()
            response.read()
            return response.status, response.getheader("X-Request-ID")
        except (OSError, http.client.HTTPException):
            return -1, None
        finally:
            client.close()

    def trainee(self, index: int) -> None:
        _, session_key, csrf = self.trainees[index]
        headers = self.headers(session_key, csrf)
        self.barrier.wait()
        for attempt in range(ATTEMPTS):
            status, request_id = self.post(headers)
            self.attempts[index].append((status, request_id))
            with self.lock:
                self.answers += status > 0
                if self.answers >= self.kill_after:
                    self.answered.set()
            if status not in RETRY_STATUSES:
                return
            time.sleep(0.25 * 2**attempt)

    def start(self) -> list[threading.Thread]:
        threads = [
            threading.Thread(target=self.trainee, args=(i,), daemon=True)
            for i in range(len(self.trainees))
        ]
        for thread in threads:
            thread.start()
        self.barrier.wait()
        return threads


def _upstreams(access_log) -> dict[str, str]:
    """Request id -> the app server that answered (the last one nginx tried)."""
    found = {}
    for line in access_log.read_text().splitlines():
        entry = json.loads(line)
        found[entry["request_id"]] = entry["upstream"].split(",")[-1].strip()
    return found


def test_an_app_server_killed_mid_burst_loses_and_doubles_nothing(
    production_shape,
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (the killed transactions rolled back)")
    port, (doomed, survivor), processes, access_log = production_shape
    proxy = (access_log.parents[1] / "makers-school-proxy.conf").read_text()
    directives = [line for line in proxy.splitlines() if not line.startswith("#")]
    # nginx never replays a POST it has sent (no `non_idempotent`).
    assert "proxy_next_upstream error timeout;" in directives
    assert not [line for line in directives if "non_idempotent" in line]
    now = _real_now()
    edition = CourseEditionFactory(
        capacity=CAPACITY,
        sessions=0,
        enrolment_opens_at=now - datetime.timedelta(days=1),
        enrolment_closes_at=now + datetime.timedelta(days=30),
    )
    trainees = _trainees_signed_in(TRAINEES)
    burst = Burst(
        port=port,
        path=f"/me/editions/{edition.pk}/enrol/",
        trainees=trainees,
        kill_after=KILL_AFTER,
    )
    threads = burst.start()
    assert burst.answered.wait(timeout=240), "the burst never got its answers"
    os.killpg(processes[f"app:{doomed}"].pid, signal.SIGKILL)  # master + workers
    killed_at = burst.answers
    deadline = time.monotonic() + 300
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0.1))
    assert not any(thread.is_alive() for thread in threads), "trainees unanswered"
    assert killed_at < TRAINEES, "the burst was over before the kill"

    # Every trainee got an answer; nothing but failures the client retries.
    statuses = Counter(status for tries in burst.attempts for status, _ in tries)
    assert set(statuses) <= {302} | RETRY_STATUSES, statuses
    assert [tries[-1][0] for tries in burst.attempts] == [302] * TRAINEES
    # The kill hit requests in flight; their retries went to the survivor.
    retried = [tries for tries in burst.attempts if len(tries) > 1]
    assert retried, f"no request failed: killed after {killed_at} answers"
    upstreams = _upstreams(access_log)
    assert {upstreams[tries[-1][1]] for tries in retried} == {f"127.0.0.1:{survivor}"}
    assert f"127.0.0.1:{doomed}" in set(upstreams.values())  # it served, before

    # Stored exactly once each; the capacity and the waitlist hold.
    rows = Enrolment.objects.filter(edition=edition)
    per_trainee = Counter(rows.values_list("trainee_id", flat=True))
    assert sorted(per_trainee) == sorted(user.pk for user, _, _ in trainees)
    assert set(per_trainee.values()) == {1}
    confirmed = rows.filter(status=EnrolmentStatus.CONFIRMED).count()
    waitlisted = rows.filter(status=EnrolmentStatus.WAITLISTED).count()
    assert confirmed == CAPACITY
    assert waitlisted == TRAINEES - CAPACITY
    assert_invariants(edition)
    print(
        f"killed :{doomed} after {killed_at} answers; {len(retried)} trainees "
        f"retried ({dict(statuses)}); all answered by :{survivor} after"
    )
