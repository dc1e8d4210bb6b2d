"""Limits and production safety: throttling with Retry-After, no cross-origin writes, a clean
`check --deploy` under production variables."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from api.throttles import AnonThrottle, EditorThrottle
from tests.helpers import problem

pytestmark = pytest.mark.django_db


def test_anonymous_clients_are_throttled_with_retry_after(client, monkeypatch):
    monkeypatch.setattr(AnonThrottle, "rate", "3/min", raising=False)
    codes = [client.get("/api/v1/blocs/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/v1/blocs/")
    problem(response, 429)
    assert 0 < int(response["Retry-After"]) <= 60


def test_editors_have_their_own_higher_limit(client, monkeypatch, editor_token):
    monkeypatch.setattr(AnonThrottle, "rate", "1/min", raising=False)
    monkeypatch.setattr(EditorThrottle, "rate", "3/min", raising=False)
    auth = {"HTTP_AUTHORIZATION": f"Token {editor_token}"}
    codes = [client.get("/api/v1/blocs/", **auth).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def settings_of(**env) -> str:
    environment = {**os.environ, **env, "DJANGO_SECRET_KEY": "x" * 50}
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, capture_output=True, text=True,
        env={**environment, "DJANGO_SETTINGS_MODULE": "kpdata.settings"}, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def test_rates_come_from_the_environment_and_off_lifts_a_limit():
    assert settings_of() == "{'anon': '600/min', 'editor': '6000/min'}"
    limited = settings_of(THROTTLE_ANON_RATE="off", THROTTLE_EDITOR_RATE="100/hour")
    assert limited == "{'anon': None, 'editor': '100/hour'}"


def test_other_sites_may_read_but_a_browser_may_not_write_across_origins(client):
    preflight = client.options(
        "/api/v1/meetings/",
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    reading = client.options(
        "/api/v1/meetings/",
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "GET" in reading["Access-Control-Allow-Methods"]


def test_check_deploy_is_clean_under_production_variables():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")} | {
        "DJANGO_SECRET_KEY": "production-" + "k" * 50,
        "DJANGO_SECURE_SSL_REDIRECT": "1",
        "DJANGO_ALLOWED_HOSTS": "kpdata.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
