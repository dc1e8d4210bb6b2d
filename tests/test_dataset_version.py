"""The dataset's key (of every kept answer, count and page, and of lists' ETags) and its version
(the API root's, the export's) must change whenever a reader could see different data, even
when writers commit out of order."""

import threading

import psycopg
import pytest
from django.db import connection
from django.db.models import Max

from api import models as m
from api.dataset import state

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


def writer() -> psycopg.Connection:
    """A second client of the test database, as another app server's editor would be."""
    return psycopg.connect(dbname=connection.settings_dict["NAME"], **server())


def server() -> dict:
    """How to reach the test database's PostgreSQL server."""
    settings = connection.settings_dict
    names = {"host": "HOST", "port": "PORT", "user": "USER", "password": "PASSWORD"}
    return {name: settings[setting] or None for name, setting in names.items()}


@pytest.fixture
def two_statements():
    """Two reference statements that writers may change and commit; put back afterwards, and
    their changes' history removed, by a writer too (the test's own transaction is undone)."""
    start = m.Change.objects.aggregate(last=Max("id"))["last"] or 0
    statements = list(m.Statement.objects.order_by("pk")[:2])
    try:
        yield statements
    finally:
        with writer() as cleaner:
            for statement in statements:
                cleaner.execute("UPDATE api_statement SET text = %s WHERE id = %s",
                                [statement.text, statement.pk])  # fmt: skip
            cleaner.execute("DELETE FROM api_change WHERE id > %s", [start])


def test_a_change_committed_after_a_later_one_still_gives_a_new_version(client, two_statements):
    slow, quick = two_statements
    path = f"/api/v1/statements/{slow.pk}/"
    with writer() as first, writer() as second:
        # The first editor changes a statement and is slow to commit; a second editor changes
        # another and commits at once: the version's lock makes the second wait for the first,
        # so that the versions follow the commits.
        first.execute("UPDATE api_statement SET text = 'Slow, after.', updated_at = now() "
                      "WHERE id = %s", [slow.pk])  # fmt: skip
        quick_write = threading.Thread(target=commit_at_once, args=(second, quick.pk))
        quick_write.start()
        quick_write.join(0.5)
        assert quick_write.is_alive()  # waiting for the first to end
        before = client.get(path)
        assert before.json()["text"] == slow.text
        version = client.get("/api/v1/").json()["version"]
        assert version == state().version
        first.commit()
        quick_write.join(10)
    assert client.get("/api/v1/").json()["version"] != version  # the root's, the export's
    after = client.get(path)  # no answer kept from before
    assert after.json()["text"] == "Slow, after."
    assert client.get(path, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200
    assert client.get(f"/api/v1/statements/{quick.pk}/").json()["text"] == "Quick, after."


def commit_at_once(connection: psycopg.Connection, pk: int) -> None:
    connection.execute("UPDATE api_statement SET text = 'Quick, after.', updated_at = now() "
                       "WHERE id = %s", [pk])  # fmt: skip
    connection.commit()


@pytest.fixture
def other_database():
    """Another database of the same PostgreSQL server, as another project's would be."""
    name = f"{connection.settings_dict['NAME']}_neighbour"[:63]
    with psycopg.connect(dbname="postgres", autocommit=True, **server()) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            with psycopg.connect(dbname=name, **server()) as neighbour:
                neighbour.execute("CREATE TABLE t (n integer)")
                neighbour.commit()
                yield neighbour
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


PATHS = ["/api/v1/statements/", "/api/v1/positions/", "/api/v1/agreement/",
         "/api/v1/participants/ZA/", "/api/v1/production/summary/"]  # fmt: skip


def test_a_write_to_another_database_of_the_server_changes_no_etag(client, other_database):
    # The key once hashed the server's snapshot, which every write anywhere moves: on a shared
    # server kept answers never hit and every client downloaded again for nothing.
    before = {path: client.get(path)["ETag"] for path in PATHS}
    other_database.execute("INSERT INTO t VALUES (1)")
    other_database.commit()
    for path, etag in before.items():
        assert client.get(path)["ETag"] == etag, path
        assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304, path
