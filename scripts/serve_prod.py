"""make serve-prod: the production shape on one machine, in the foreground.

With production settings against the local PostgreSQL and Redis (or whatever
.env and the shell say), it runs what a two-machine deployment runs:

- nginx (Debian's, /usr/sbin/nginx) on 127.0.0.1:8080 as the reverse proxy
  and static-file server, with a configuration generated under
  var/serve-prod/nginx/ from deploy/nginx's snippets (its own prefix, pid
  and logs; `nginx -t` checks it first);
- two gunicorn app servers (127.0.0.1:8001 and :8002, deploy/gunicorn.conf.py)
  in nginx's upstream;
- one RQ worker per task queue (default, mail, certificates, reports);
- one scheduler (`manage.py scheduler`).

Before starting them: `check --deploy` (a wrong configuration stops here),
`migrate`, `collectstatic`. A process that exits is started again after a
second, unless it keeps dying (then everything stops, exit 1). Ctrl-C or
SIGTERM stops everything it started: nginx first, then the app servers, the
scheduler and the workers (each finishes what it has in hand), SIGKILL after
STOP_SECONDS. Process output goes to the terminal (JSON lines), nginx's
access log to var/serve-prod/nginx/access.log.
"""

import argparse
import contextlib
import getpass
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY_NGINX = BASE_DIR / "deploy" / "nginx"
SNIPPETS = (
    "makers-school-proxy.conf",
    "makers-school-health.conf",
    "makers-school-locations.conf",
)
QUEUES = ("default", "mail", "certificates", "reports")
PRODUCTION = "makers_school.settings.production"
STOP_SECONDS = 20
# A process that dies this many times within RESTART_WINDOW stops the lot.
MAX_RESTARTS = 5
RESTART_WINDOW = 60.0


def env_file_read(path: Path) -> dict[str, str]:
    """KEY=value lines of an .env file (comments and blanks skipped, one level
    of surrounding quotes removed), as the Makefile's `. ./.env` reads them."""
    values = {}
    if not path.exists():
        return values
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def environment(*, env_file: Path, run_dir: Path) -> dict[str, str]:
    """.env's values under the shell's (the shell wins), production settings
    unless DJANGO_SETTINGS_MODULE says otherwise, one metrics folder for both
    app servers (core.metrics)."""
    env = {**env_file_read(env_file), **os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION)
    env["PYTHONUNBUFFERED"] = "1"
    env["PROMETHEUS_MULTIPROC_DIR"] = str(run_dir / "metrics")
    return env


def django_paths(env: dict[str, str]) -> dict[str, str]:
    """STATIC_ROOT, MEDIA_ROOT and the public host, as the settings say."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from urllib.parse import urlsplit; print(json.dumps({"
        "'static': str(settings.STATIC_ROOT), 'media': str(settings.MEDIA_ROOT), "
        "'host': urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or '_'}))"
    )
    out = subprocess.run(  # nosec B603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def snippet_localise(text: str, *, nginx_dir: Path, paths: dict[str, str]) -> str:
    """A deploy/nginx snippet with the deployment's paths made this checkout's."""
    text = text.replace("/etc/nginx/snippets", str(nginx_dir))
    text = text.replace("/srv/makers-school/staticfiles/", paths["static"] + "/")
    return text.replace("/srv/makers-school/var/media/", paths["media"] + "/")


def nginx_config(
    *, run_dir: Path, port: int, app_ports: list[int], paths: dict[str, str]
) -> Path:
    """Write var/serve-prod/nginx/nginx.conf (and the snippets it includes)."""
    nginx_dir = run_dir / "nginx"
    for sub in ("temp", "logs"):
        (nginx_dir / sub).mkdir(parents=True, exist_ok=True)
    for name in SNIPPETS:
        text = (DEPLOY_NGINX / name).read_text()
        local = snippet_localise(text, nginx_dir=nginx_dir, paths=paths)
        (nginx_dir / name).write_text(local)
    site = (DEPLOY_NGINX / "makers-school.conf").read_text()
    log_format = re.search(r"^log_format .*?';$", site, re.M | re.S).group(0)
    upstream = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in app_ports
    )
    temp = "\n".join(
        f"    {kind}_temp_path {nginx_dir}/temp/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = f"""# Generated by scripts/serve_prod.py from deploy/nginx/: do not edit.
daemon off;
# A local try-out: the workers run as whoever started it (Debian's own
# nginx.conf runs them as www-data).
user {getpass.getuser()};
worker_processes 2;
pid {nginx_dir}/nginx.pid;
error_log {nginx_dir}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
{temp}
    {log_format}
    access_log {nginx_dir}/logs/access.log makers_json;
    upstream makers_school {{
{upstream}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name {paths["host"]};
        include {nginx_dir}/makers-school-health.conf;
        include {nginx_dir}/makers-school-locations.conf;
    }}
}}
"""
    path = nginx_dir / "nginx.conf"
    path.write_text(conf)
    return path


def nginx_command(conf: Path, *extra: str) -> list[str]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    prefix = conf.parent
    return [
        nginx,
        "-p",
        f"{prefix}/",
        "-e",
        f"{prefix}/logs/error.log",
        "-c",
        str(conf),
        *extra,
    ]


def commands(*, conf: Path, app_ports: list[int], workers: int) -> dict[str, list]:
    """Every long-running process, by name, in start order."""
    python = sys.executable
    gunicorn = str(Path(python).with_name("gunicorn"))
    found = {}
    for port in app_ports:
        found[f"app:{port}"] = [
            gunicorn,
            "makers_school.wsgi",
            "--config",
            str(BASE_DIR / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ]
    for queue in QUEUES:
        found[f"worker:{queue}"] = [
            python,
            "manage.py",
            "rqworker",
            queue,
            "--with-scheduler",
        ]
    found["scheduler"] = [python, "manage.py", "scheduler"]
    found["nginx"] = nginx_command(conf)
    return found


class Supervisor:
    """Starts the processes, starts again one that exits, stops them all."""

    def __init__(self, specs: dict[str, list], env: dict[str, str]):
        self.specs = specs
        self.env = env
        self.procs: dict[str, subprocess.Popen] = {}
        self.deaths: list[float] = []
        self.stopping = False

    def spawn(self, name: str) -> None:
        # A session of its own: the terminal's Ctrl-C reaches only the
        # supervisor, which stops the children in order.
        self.procs[name] = subprocess.Popen(  # nosec B603 - our own commands
            self.specs[name], cwd=BASE_DIR, env=self.env, start_new_session=True
        )
        say(f"started {name} (pid {self.procs[name].pid})")

    def run(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self.request_stop)
        for name in self.specs:
            self.spawn(name)
        while not self.stopping:
            time.sleep(0.5)
            if self.reap() == "give up":
                self.stop()
                return 1
        self.stop()
        return 0

    def request_stop(self, *_args) -> None:
        self.stopping = True

    def reap(self) -> str:
        for name, proc in list(self.procs.items()):
            if self.stopping or proc.poll() is None:
                continue
            say(f"{name} exited with {proc.returncode}")
            now = time.monotonic()
            self.deaths = [t for t in self.deaths if now - t < RESTART_WINDOW]
            self.deaths.append(now)
            if len(self.deaths) > MAX_RESTARTS:
                say("processes keep exiting: stopping everything")
                return "give up"
            time.sleep(1)
            self.spawn(name)
        return "ok"

    def stop(self) -> None:
        """nginx first (no new requests), then the rest together."""
        order = ["nginx"] + [name for name in self.procs if name != "nginx"]
        for name in order:
            signal_group(self.procs[name], signal.SIGTERM)
            if name == "nginx":
                wait(self.procs[name], STOP_SECONDS)
        deadline = time.monotonic() + STOP_SECONDS
        for name in order:
            if not wait(self.procs[name], deadline - time.monotonic()):
                say(f"{name} did not stop: killing it")
                signal_group(self.procs[name], signal.SIGKILL)
                self.procs[name].wait()
        say("stopped")


def signal_group(proc: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signum)


def wait(proc: subprocess.Popen, seconds: float) -> bool:
    try:
        proc.wait(timeout=max(seconds, 0.1))
    except subprocess.TimeoutExpired:
        return False
    return True


def say(message: str) -> None:
    print(f"serve-prod: {message}", file=sys.stderr, flush=True)


def manage(env: dict[str, str], *argv: str) -> None:
    subprocess.run(  # nosec B603 - our own commands
        [sys.executable, "manage.py", *argv], cwd=BASE_DIR, env=env, check=True
    )


def prepare(env: dict[str, str], *, setup: bool) -> None:
    manage(env, "check", "--deploy", "--fail-level", "ERROR")
    if setup:
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput", "-v", "0")


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080, help="nginx's port")
    parser.add_argument("--app-ports", default="8001,8002")
    parser.add_argument("--workers", type=int, default=2, help="per app server")
    parser.add_argument("--env-file", type=Path, default=BASE_DIR / ".env")
    parser.add_argument("--run-dir", type=Path, default=BASE_DIR / "var" / "serve-prod")
    parser.add_argument(
        "--no-setup", action="store_true", help="skip migrate and collectstatic"
    )
    parser.add_argument(
        "--check-config", action="store_true", help="write and test nginx's config only"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    app_ports = [int(p) for p in args.app_ports.split(",")]
    env = environment(env_file=args.env_file, run_dir=args.run_dir)
    metrics = args.run_dir / "metrics"
    shutil.rmtree(metrics, ignore_errors=True)
    metrics.mkdir(parents=True)
    conf = nginx_config(
        run_dir=args.run_dir,
        port=args.port,
        app_ports=app_ports,
        paths=django_paths(env),
    )
    subprocess.run(nginx_command(conf, "-t", "-q"), check=True)  # nosec B603
    if args.check_config:
        return 0
    prepare(env, setup=not args.no_setup)
    specs = commands(conf=conf, app_ports=app_ports, workers=args.workers)
    say(f"http://127.0.0.1:{args.port}/ (Ctrl-C stops everything)")
    return Supervisor(specs, env).run()


if __name__ == "__main__":
    sys.exit(main())
