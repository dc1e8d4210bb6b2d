"""Pages are found by their keys first, read a window at a time and cached per dataset version:
they must hold exactly the rows a plain OFFSET would, in the same order, and follow changes."""

import factory
import pytest

from api import models as m
from api import pagination
from tests.factories import SourceFactory
from tests.helpers import rolled_back

pytestmark = pytest.mark.django_db
SOURCES = "/api/v1/sources/"


@pytest.fixture(scope="module")
def many_sources(django_db_setup, django_db_blocker):
    """1,250 sources, made once for the module's tests and undone after them."""
    with rolled_back(django_db_blocker):
        # Named to sort after the reference sources, which cited records keep from deletion.
        slug = factory.Sequence(lambda n: f"zz-deep-{n:04}")
        SourceFactory.create_batch(1250 - m.Source.objects.count(), slug=slug)
        yield


def slugs(client, **params) -> list[str]:
    response = client.get(SOURCES, {"fields": "slug", **params})
    assert response.status_code == 200, response.content[:300]
    return [row["slug"] for row in response.json()["results"]]


@pytest.mark.parametrize("ordering", ["slug", "-publisher"])
def test_a_page_holds_the_rows_an_offset_would(client, many_sources, ordering):
    ordered = list(m.Source.objects.order_by(ordering, "slug"))
    expected = [source.slug for source in ordered]
    # Page 10 of 100 ends the first window of 1,000 keys; page 11 starts the second, page 3 of
    # 500 too; page 2 of 700 spans both.
    assert slugs(client, ordering=ordering, page_size=100, page=10) == expected[900:1000]
    assert slugs(client, ordering=ordering, page_size=100, page=11) == expected[1000:1100]
    assert slugs(client, ordering=ordering, page_size=500, page=3) == expected[1000:1250]
    assert slugs(client, ordering=ordering, page_size=700, page=2) == expected[700:1250]
    # Served again from the cached keys, the same rows.
    assert slugs(client, ordering=ordering, page_size=100, page=11) == expected[1000:1100]


def test_a_page_across_two_windows_of_keys_holds_the_rows_an_offset_would(
    client, many_sources, monkeypatch
):
    # Keys read 100 at a time up to row 300, then 300 at a time: 300, 600, 900, 1200.
    monkeypatch.setattr(pagination, "SMALL", 100)
    monkeypatch.setattr(pagination, "LARGE", 300)
    expected = [source.slug for source in m.Source.objects.order_by("slug")]
    assert slugs(client, ordering="slug", page_size=70, page=2) == expected[70:140]
    assert slugs(client, ordering="slug", page_size=70, page=5) == expected[280:350]
    assert slugs(client, ordering="slug", page_size=70, page=18) == expected[1190:1250]
    assert slugs(client, ordering="slug", page_size=70, page=17) == expected[1120:1190]
    assert slugs(client, ordering="slug", page_size=250, page=5) == expected[1000:1250]


def test_a_deep_page_follows_a_change(client, many_sources):
    before = slugs(client, ordering="slug", page_size=100, page=11)
    SourceFactory(slug="0-first-of-all")  # sorts before every other slug: shifts every page
    after = slugs(client, ordering="slug", page_size=100, page=11)
    assert after[1:] == before[:-1]


def test_a_deep_page_follows_a_deletion(client, many_sources):
    page = slugs(client, ordering="slug", page_size=100, page=11)
    gone = page[0]
    m.Source.objects.filter(slug=gone).delete()  # recorded in the history: a new version
    again = slugs(client, ordering="slug", page_size=100, page=11)
    assert gone not in again and len(again) == 100
