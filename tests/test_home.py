"""The front page counts what its links give: every figure it shows is the count of the list
its link opens (participants without the former ones, statistics without the world totals)."""

import html
import re

import pytest

from tests.collections import NAMES

pytestmark = pytest.mark.django_db
FIGURE = re.compile(r'<a class="figure" href="([^"]+)" data-count="(\d+)">(\d+)')


def figures(client) -> list[tuple[str, int]]:
    page = client.get("/").content.decode()
    found = [
        (html.unescape(url), int(count), int(shown)) for url, count, shown in FIGURE.findall(page)
    ]
    assert all(count == shown for _, count, shown in found)
    return [(url, count) for url, count, _ in found]


def test_every_figure_of_the_front_page_is_what_its_link_lists(client):
    shown = figures(client)
    assert len(shown) == len(NAMES) + 3  # each collection, and three figures apart
    for url, count in shown:
        response = client.get(f"{url}{'&' if '?' in url else '?'}page_size=1")
        assert response.status_code == 200, url
        assert response.json()["count"] == count, url


def test_participants_are_the_current_sixty_with_the_former_apart(client):
    shown = dict(figures(client))
    assert shown["/api/v1/participants/"] == 60
    assert shown["/api/v1/participants/?status=withdrawn"] == 6
    assert shown["/api/v1/production/"] + shown["/api/v1/production/?participant=world"] == 188
