"""The dataset version keys every kept answer, count and page, and every list's ETag: it must
change whenever a reader could see different data, even when writers commit out of order."""

import psycopg
import pytest
from django.db import connection

from api import models as m
from api.dataset import state
from tests import factories as f

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


def writer() -> psycopg.Connection:
    """A second client of the test database, as another app server's editor would be."""
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"], host=settings["HOST"] or None, port=settings["PORT"] or None,
        user=settings["USER"] or None, password=settings["PASSWORD"] or None,
    )  # fmt: skip


def test_a_change_committed_after_a_later_one_still_gives_a_new_version(client):
    slow, quick = f.StatementFactory(text="Slow, before."), f.StatementFactory(text="Quick.")
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
        assert before.json()["text"] == "Slow, before."
        version = state()[1]
        first.commit()
    assert state()[1] != version
    after = client.get(path)
    assert after.json()["text"] == "Slow, after."
    assert client.get(path, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200
    assert m.Statement.objects.get(pk=slow.pk).text == "Slow, after."
