"""What the feed tests share: following `/api/v1/changes/` page by page, and sources written
for it (removed after each test by the `committed` fixture, conftest.py)."""

import time

from django.db.models import Max

from api import models as m
from api.changefeed import grouped
from tests.helpers import API, Editor

CHANGES = f"{API}changes/"
PREFIX = "feed-test-"
SOURCE = {
    "kind": "report",
    "title": "A report for the feed",
    "publisher": "Example",
    "author": "",
    "published_on": None,
    "published_on_precision": None,
    "confidence": "single_source",
    "note": "",
}


def changes() -> list[int]:
    """The numbers of every change so far (one per transaction, writer and record)."""
    return [group["change"] for group in grouped(m.Change.objects.all())]


def last_change() -> int:
    return m.Change.objects.aggregate(last=Max("id"))["last"] or 0


def new_source(editor: Editor, name: str) -> str:
    body = {**SOURCE, "slug": PREFIX + name, "url": f"https://example.org/{PREFIX}{name}"}
    response = editor.post(f"{API}sources/", body)
    assert response.status_code == 201, response.content
    return f"{API}sources/{PREFIX}{name}/"


def page(client, url: str, params: dict | None = None) -> dict:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"next", "poll", "results"}
    return body


def follow(client, url: str, params: dict | None = None) -> tuple[list[dict], dict]:
    """Every entry from `url` to the end, following `next`; and the last page."""
    body = page(client, url, params)
    entries = list(body["results"])
    while body["next"]:
        body = page(client, body["next"])
        assert body["results"], "a `next` that leads to an empty page"
        entries += body["results"]
    return entries, body


def served_through(client, change: int) -> None:
    """Wait until the feed serves `change`: PostgreSQL holds back the changes made after the
    start of any transaction still running, in any database of the server."""
    deadline = time.monotonic() + 60
    while change not in numbers(follow(client, CHANGES, {"page_size": 1000})[0]):
        assert time.monotonic() < deadline, f"change {change} is not served"
        time.sleep(0.1)


def numbers(entries: list[dict]) -> list[int]:
    return [entry["change"] for entry in entries]
