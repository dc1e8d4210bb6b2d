"""Shared test set-up: the whole reference dataset, loaded once into the test database; fresh
caches for every test; editors and readers with tokens; the live servers' reference database."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.test import Client
from knox.models import AuthToken

from api.reference import load
from tests import live
from tests.helpers import Editor, create_editor


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


@pytest.fixture
def editor_token() -> str:
    """alice, made an editor by the command editors are told to run; its token, as printed."""
    return create_editor("alice")


@pytest.fixture
def editor(editor_token) -> Client:
    """A client of its own that sends alice's token with every request."""
    return Client(headers={"Authorization": f"Token {editor_token}"})


@pytest.fixture
def alice(client, editor_token) -> Editor:
    """The test's client as alice: her token on writes, If-Match from a fresh GET."""
    return Editor(client, editor_token)


@pytest.fixture
def reader_token() -> str:
    """bob: a user with a valid token who is not an editor."""
    bob = get_user_model().objects.create_user("bob")
    _, token = AuthToken.objects.create(bob)
    return token


@pytest.fixture
def reader(reader_token) -> Client:
    return Client(headers={"Authorization": f"Token {reader_token}"})


@pytest.fixture(scope="session")
def live_database(tmp_path_factory):
    """The reference database, migrated and loaded once per run, that each live server copies."""
    url = live.reference_database(tmp_path_factory.mktemp("live-reference"))
    yield url
    live.drop(url)
