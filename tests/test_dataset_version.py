"""The dataset's key (of every kept answer, count and page, and of lists' ETags) and its version
(the API root's, the export's) must change whenever a reader could see different data, even
when writers commit out of order."""

import psycopg
import pytest
from django.db import connection
from django.db.models import Max

from api import models as m
from api.dataset import state

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


def writer() -> psycopg.Connection:
    """A second client of the test database, as another app server's editor would be."""
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"], host=settings["HOST"] or None, port=settings["PORT"] or None,
        user=settings["USER"] or None, password=settings["PASSWORD"] or None,
    )  # fmt: skip


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
        # The first editor changes a statement and is slow to commit: its row's `updated_at` and
        # its history's numbers are older than those of a second editor who commits at once.
        first.execute("UPDATE api_statement SET text = 'Slow, after.', updated_at = now() "
                      "WHERE id = %s", [slow.pk])  # fmt: skip
        second.execute("UPDATE api_statement SET text = 'Quick, after.', updated_at = now() "
                       "WHERE id = %s", [quick.pk])  # fmt: skip
        second.commit()
        before = client.get(path)
        assert before.json()["text"] == slow.text
        version = client.get("/api/v1/").json()["version"]
        assert version == state().version
        first.commit()
    assert client.get("/api/v1/").json()["version"] != version  # the root's, the export's
    after = client.get(path)  # no answer kept from before
    assert after.json()["text"] == "Slow, after."
    assert client.get(path, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200
