"""What many test modules share: the reference files, problem details, editors' requests and
records' histories. Fixtures live in conftest.py; the collections in tests/collections.py."""

import contextlib
import csv
import datetime
import json
from collections.abc import Iterable
from http import HTTPStatus
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from api import models as m
from api.problems import problem_type

API = "/api/v1/"
SERVER = "http://testserver/api/v1"  # where the test client's answers say records are
FIXTURES = Path(settings.BASE_DIR) / "fixtures"
GRADES = {"V": "verified", "S": "single_source", "U": "uncertain"}  # the files' grades
PROBLEM = "application/problem+json"
PROBLEM_KEYS = {"type", "title", "status", "detail"}

# Reference records that many tests read or change.
JCK = "jckonline-editorial-article-kimberley-process-no-longer-works"
STALEMATE = "jckonline-editorial-article-another-stalemate-for-the-kimberley-process"
KASANE = "2022-intersessional-kasane"
RUSSIA_AGENDA = "2022-kasane-russia-agenda-item"
# A reference proposal with positions, tabled_by and topics that no statement refers to.
ADMISSIONS = "2012-washington-admissions"
ALICE = "Alice Editor"  # the public name of the editor alice (conftest.py)


def problem(response, status: int, *names: str) -> dict:
    """Assert an RFC 9457 problem-details answer of that status whose `errors` (and `detail`)
    name each of `names`, the query parameters or fields that were wrong; its body."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert PROBLEM_KEYS <= set(body) <= PROBLEM_KEYS | {"errors"}, body
    assert body["status"] == status and body["type"] == problem_type(status), body
    assert body["title"] == HTTPStatus(status).phrase and body["detail"], body
    for name in names:
        assert name in body["errors"], body
        assert name in body["detail"], body
    return body


def rows(name: str) -> list[dict[str, str]]:
    """The rows of a fixtures file: kp-*.csv in fixtures/reference/, the others in fixtures/."""
    path = FIXTURES / "reference" / name if name.startswith("kp-") else FIXTURES / name
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def stamp(moment: datetime.datetime) -> str:
    """A moment as the API writes it: UTC, with a Z."""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def source_slugs(urls: str | Iterable[str]) -> list[str]:
    """The sorted slugs of the sources at these URLs (a file's space-separated list, or any)."""
    urls = urls.split() if isinstance(urls, str) else urls
    return sorted({m.Source.objects.get(url=url).slug for url in urls})


def address(served: dict) -> str:
    """A record's API address (a source's `url` is the page it names, `api_url` its address)."""
    return served.get("api_url") or served["url"]


def path_of(served: dict) -> str:
    return urlparse(address(served)).path


def create_editor(name: str = "alice", public: str = "") -> str:
    """Make `name` an editor with the command editors are told to run (shown in the history as
    `public`, if given); the token it prints."""
    out = StringIO()
    named = ["--name", public] if public else []
    call_command("create_editor", name, *named, stdout=out, stderr=StringIO())
    return out.getvalue().strip().splitlines()[-1]


class Editor:
    """An API client with an editor's token; PATCH and DELETE send If-Match from a fresh GET."""

    def __init__(self, client, token: str):
        self.client = client
        self.auth = {"Authorization": f"Token {token}"}

    def post(self, path: str, body: dict):
        return self.client.post(
            path, json.dumps(body), content_type="application/json", headers=self.auth
        )

    def patch(self, path: str, body: dict):
        headers = {**self.auth, "If-Match": etag(self.client, path)}
        return self.client.patch(
            path, json.dumps(body), content_type="application/json", headers=headers
        )

    def delete(self, path: str):
        return self.client.delete(path, headers={**self.auth, "If-Match": etag(self.client, path)})


def etag(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response["ETag"]


def versions(client, path: str) -> list[dict]:
    """Every entry of a record's history, oldest first, in one page."""
    response = client.get(f"{path}history/", {"page_size": 1000})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return body["results"]


def moved(etag: str, response) -> bool:
    """Whether a conditional GET's 200 is only PostgreSQL's key moving on, not a change.

    On PostgreSQL the key behind lists' and details' ETags holds the server's snapshot, which any
    transaction ending anywhere on the server moves on: another test run's commit between two
    requests gives a new key (a spare one; never a missed change)."""
    return (
        connection.vendor == "postgresql"
        and response.status_code == 200
        and response["ETag"] != etag
    )


def revalidate(client, path: str, params: dict | None = None) -> tuple[str, object]:
    """The ETag a GET serves, and the answer to a GET that sends it back in If-None-Match; asked
    again (up to ten times) while the key only moved on (`moved`)."""
    for _ in range(10):
        etag = client.get(path, params)["ETag"]
        again = client.get(path, params, HTTP_IF_NONE_MATCH=etag)
        if not moved(etag, again):
            break
    return etag, again


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    """For a module-scoped fixture: what it writes is seen by the module's tests (each in a
    transaction of its own inside this one) and undone after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
