"""Shared test set-up: the whole reference dataset, loaded once into the test database."""

import pytest
from django.core.cache import caches
from django.db import connection

from api.reference import load
from tests import live


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test sees the real dataset; each test's own changes are rolled back after it."""
    with django_db_blocker.unblock():
        load()


def pytest_collection_modifyitems(config, items):
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL; DATABASE_URL names SQLite")
        for item in items:
            if "postgresql" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts with empty caches: no request counters, no answers kept by another."""
    for kept in caches.all():
        kept.clear()


@pytest.fixture(scope="session")
def live_database(tmp_path_factory):
    """The reference database, migrated and loaded once per run, that each live server copies."""
    url = live.reference_database(tmp_path_factory.mktemp("live-reference"))
    yield url
    live.drop(url)
