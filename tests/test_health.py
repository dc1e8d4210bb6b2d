"""`/healthz`, and start-up that stops with one clear line when the configuration is wrong."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
UNREACHABLE = "postgres://postgres@127.0.0.1:9/kpdata"  # the discard port: nothing listens


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    environment |= env
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.django_db
def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_problem_details_when_the_database_is_down():
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r['Content-Type'], json.dumps(r.json(), sort_keys=True))"
    )
    result = run(
        "-c", script, DATABASE_URL=UNREACHABLE, DJANGO_SETTINGS_MODULE="kpdata.settings",
        DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="testserver",
    )  # fmt: skip
    status, content_type, body = result.stdout.strip().split(" ", 2)
    assert (status, content_type) == ("503", "application/problem+json")
    assert '"database": "unavailable"' in body and '"status": 503' in body


def test_production_without_a_secret_key_stops_with_one_line():
    # Neither the variable nor the local key `make` keeps: a production host.
    result = run("manage.py", "check", KPDATA_SECRET_KEY_FILE="/nonexistent/.secret-key")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "kpdata: DJANGO_SECRET_KEY is not set. Set it to a long random string (or run make "
        "once, which keeps one in .secret-key), or set DJANGO_DEBUG=1 for development."
    ]


@pytest.mark.parametrize("url", ["mysql://root@localhost/kpdata", "not a url at all"])
def test_a_wrong_database_url_stops_with_one_line(url):
    result = run("manage.py", "check", DATABASE_URL=url, DJANGO_DEBUG="1")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("kpdata: DATABASE_URL")


def test_an_unreachable_database_stops_a_command_with_one_line():
    result = run("manage.py", "migrate", DATABASE_URL=UNREACHABLE, DJANGO_DEBUG="1")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("kpdata: database kpdata (from DATABASE_URL) cannot be used:")


def test_livez_answers_whatever_the_allowed_hosts_and_https_settings(client, settings):
    # A container's health check asks by its own address over plain HTTP.
    settings.ALLOWED_HOSTS = ["kpdata.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/livez", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert client.get("/readyz", HTTP_HOST="127.0.0.1:8000").status_code in {301, 400}


def test_the_image_ignores_what_serving_does_not_need():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {"var", "tests", "bench", ".venv", ".secret-key"} <= ignored
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim\n" not in dockerfile  # a pinned base, not a moving tag
    assert "/livez" in dockerfile
