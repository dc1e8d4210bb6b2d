"""Shared test set-up: the whole reference dataset, loaded once into the test database; fresh
caches for every test; editors and readers with tokens; the live servers' reference database."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test import Client
from knox.models import AuthToken

from api import models as m
from api import ratelimit
from api.reference import load
from tests import factories as f
from tests import live
from tests.feeds import PREFIX, last_change
from tests.helpers import ALICE, Editor, create_editor


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
    ratelimit.clear()


@pytest.fixture
def editor_token() -> str:
    """alice, made an editor by the command editors are told to run, her public name `Alice
    Editor`; its token, as printed."""
    return create_editor("alice", ALICE)


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


@pytest.fixture
def awkward():
    """Statements with every awkward value: quotes, commas and line breaks in text, text that
    starts like a formula, empty and missing values, dates as precise as they are known, moments
    with and without microseconds (and with trailing zeros), no topics and several."""
    sources = [
        f.SourceFactory(published_on=None, published_on_precision=None, publisher="", title=""),
        f.SourceFactory(published_on=datetime.date(2019, 1, 1), published_on_precision="year"),
        f.SourceFactory(published_on=datetime.date(2021, 3, 9), published_on_precision="day",
                        title='A "quoted", title', publisher="=Publisher"),
    ]  # fmt: skip
    texts = ['He said: "no", then left.', "Line one\nline two\r\nline three", "=SUM(A1:A2)",
             "-1 for the motion", "@everyone", "\tindented", "Côte d'Ivoire, naïve, 中文", "",
             "ends with a quote\"", '"', "a\\.b", "\\."]  # fmt: skip
    topics = list(m.Topic.objects.order_by("slug")[:3])
    moments = [datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC),
               datetime.datetime(2024, 5, 6, 7, 8, 9, 123400, tzinfo=datetime.UTC),
               datetime.datetime(2024, 5, 6, 7, 8, 9, 5, tzinfo=datetime.UTC)]  # fmt: skip
    for number, text in enumerate(texts):
        statement = f.StatementFactory(
            text=text,
            source=sources[number % 3],
            speaker=None if number % 4 == 0 else f.PersonFactory(name="" if number == 5 else "A"),
            speaker_description="+a delegate" if number % 4 == 0 else "",
            speaker_role="=role" if number == 2 else "",
            organisation=None if number % 2 else f.OrganisationFactory(),
            participant=None if number % 5 == 0 else f.ParticipantFactory(),
            meeting=None if number % 2 == 0 else f.MeetingFactory(),
            date=None if number == 3 else datetime.date(2020, 2, 1),
            date_precision=None if number == 3 else "month" if number == 4 else "day",
            note="-note" if number == 6 else "",
        )
        statement.topics.set(topics[: number % 4])
        m.Statement.objects.filter(pk=statement.pk).update(
            created_at=moments[number % 3], updated_at=moments[(number + 1) % 3]
        )


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Requests that commit, as on a server; the sources, users and changes they made are
    removed after the test. Yields the number of the last change before it."""
    with django_db_blocker.unblock():
        start = last_change()
        users = set(get_user_model().objects.values_list("pk", flat=True))
        groups = set(Group.objects.values_list("pk", flat=True))
        try:
            yield start
        finally:
            m.Source.objects.filter(slug__startswith=PREFIX).delete()
            m.Change.objects.filter(id__gt=start).delete()
            get_user_model().objects.exclude(pk__in=users).delete()
            Group.objects.exclude(pk__in=groups).delete()
