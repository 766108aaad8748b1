"""deploy/ loads: nginx -t passes on the site, systemd accepts the units.

Each is skipped, with the reason, where the tool is not installed.
"""

import re
import shutil
import subprocess

import pytest
from django.conf import settings

DEPLOY = settings.BASE_DIR / "deploy"


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not installed")
def test_nginx_site_passes_nginx_t(tmp_path):
    """The site as installed (snippets, TLS files, logs moved under tmp_path)."""
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    for name in (
        "makers-school-proxy.conf",
        "makers-school-health.conf",
        "makers-school-locations.conf",
    ):
        text = (DEPLOY / "nginx" / name).read_text()
        snippets.joinpath(name).write_text(
            text.replace("/etc/nginx/snippets", str(snippets))
        )
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=test", "-keyout", str(tmp_path / "key.pem")]
        + ["-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "makers-school.conf").read_text()
    site = site.replace("/etc/nginx/snippets", str(snippets))
    site = re.sub(
        r"/etc/letsencrypt/\S+/fullchain\.pem", str(tmp_path / "cert.pem"), site
    )
    site = re.sub(r"/etc/letsencrypt/\S+/privkey\.pem", str(tmp_path / "key.pem"), site)
    site = site.replace("/var/log/nginx", str(tmp_path))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\n access_log off;\n include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(
    not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed"
)
def test_systemd_units_parse():
    """No unknown key or section (the commands' paths exist only when deployed)."""
    units = sorted((DEPLOY / "systemd").glob("*.service")) + sorted(
        (DEPLOY / "systemd").glob("*.timer")
    )
    assert units
    for unit in units:
        result = subprocess.run(
            ["systemd-analyze", "verify", "--man=no", str(unit)],
            capture_output=True,
            text=True,
        )
        problems = [
            line
            for line in result.stderr.splitlines()
            if "Unknown" in line or "Invalid" in line or "bad" in line.lower()
        ]
        assert problems == [], unit.name


def test_nginx_sends_the_gzip_files_collectstatic_writes():
    """Production storage writes foo.css.gz beside foo.css at collectstatic;
    nginx sends those to browsers (gzip_static), compressing nothing itself."""
    from makers_school.settings import base

    backend = base.STORAGES["staticfiles"]["BACKEND"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    locations = (DEPLOY / "nginx" / "makers-school-locations.conf").read_text()
    static = re.search(r"location /static/ \{(.*?)\}", locations, re.S).group(1)
    assert "gzip_static on;" in static
    assert "gzip_vary on;" in static
