"""The bench's environment: a fresh PostgreSQL database and production settings.

prepare() runs once, before any bench module: it drops and re-creates the bench
database, points DATABASE_URL at it, runs `manage.py migrate` and
`manage.py collectstatic` with production settings, then sets Django up in this
process with the same settings, so in-process measurements and the gunicorn
server measure the same configuration.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = Path(__file__).resolve().parent / "out"  # git-ignored: logs of a run

# The server that holds the bench database; the database itself is re-created.
PG_SERVER_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB_NAME", "makers_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")


@dataclass
class BenchContext:
    """What every bench module receives.

    env: the environment of production settings pointed at the bench database,
    for subprocesses (manage.py, gunicorn). shared: a scratch dict in which
    modules may leave things for later modules (e.g. "catalogue_url").
    """

    db_name: str
    database_url: str
    env: dict[str, str]
    base_dir: Path = BASE_DIR
    out_dir: Path = OUT_DIR
    python: str = sys.executable
    setup_seconds: dict[str, float] = field(default_factory=dict)
    shared: dict = field(default_factory=dict)

    def manage(self, *args: str, timeout: float = 600) -> None:
        """Runs `manage.py <args>` with the bench's production environment."""
        subprocess.run(
            [self.python, str(self.base_dir / "manage.py"), *args],
            cwd=self.base_dir,
            env=self.env,
            check=True,
            timeout=timeout,
        )


def recreate_database(name: str = DB_NAME, server_url: str = PG_SERVER_URL) -> str:
    """Drops and creates database `name`; returns its DATABASE_URL."""
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{server_url}/{name}"


def production_env(database_url: str) -> dict[str, str]:
    """Production settings for the bench: loopback only, no TLS redirect."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="makers_school.settings.production",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY")
        or f"bench-{secrets.token_urlsafe(40)}",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
        # What core.checks requires of production before gunicorn starts: a
        # public https address and signing without a timestamp authority, on
        # purpose. No line per request in the logs: the bench measures the app.
        WAGTAILADMIN_BASE_URL="https://makers-school.example",
        MAKERS_ALLOW_UNTIMESTAMPED="1",
        MAKERS_ACCESS_LOG="0",
    )
    # The machine's Redis, as production uses it, but a database of its own: other
    # servers on this machine (make security, make serve-prod) share database 0,
    # where Wagtail keeps its sites' root paths under a fixed key; read by the
    # bench, another database's paths made page URLs None.
    env["REDIS_URL"] = REDIS_URL
    return env


def existing_database_url(name: str = DB_NAME, server_url: str = PG_SERVER_URL):
    """DATABASE_URL of database `name` if it exists (created if it does not)."""
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{server_url}/{name}"


def prepare(*, reuse_db: bool = False) -> BenchContext:
    """Fresh database, migrated; static files collected; Django set up here.

    reuse_db keeps the bench database of the previous run (for iterating on a
    bench module; the 5-course comparison then cannot be measured).
    """
    OUT_DIR.mkdir(exist_ok=True)
    database_url = existing_database_url() if reuse_db else recreate_database()
    if not reuse_db:  # a fresh database: nothing cached from the last one
        redis.Redis.from_url(REDIS_URL).flushdb()
    ctx = BenchContext(
        db_name=DB_NAME, database_url=database_url, env=production_env(database_url)
    )
    started = time.perf_counter()
    ctx.manage("migrate", "--noinput", "-v", "0")
    ctx.setup_seconds["migrate"] = time.perf_counter() - started
    started = time.perf_counter()
    # Production storage (whitenoise's manifest) needs the manifest to render any
    # page that uses {% static %}, in-process as in gunicorn.
    ctx.manage("collectstatic", "--noinput", "-v", "0")
    ctx.setup_seconds["collectstatic"] = time.perf_counter() - started

    for key in (
        "DJANGO_SETTINGS_MODULE",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SECURE_SSL_REDIRECT",
        "DATABASE_URL",
        "WAGTAILADMIN_BASE_URL",
        "MAKERS_ALLOW_UNTIMESTAMPED",
        "MAKERS_ACCESS_LOG",
    ):
        os.environ[key] = ctx.env[key]
    os.environ["REDIS_URL"] = ctx.env["REDIS_URL"]
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    return ctx
