"""Read replicas (DATABASE_REPLICA_URLS): GETs read a replica, writes and the writer's next reads
the primary.

The replica here is a second database alias on the test database with its own connection: it
sees what is committed (the reference dataset) but not what the test's transaction writes, as a
replica that has not caught up yet would not.
"""

import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections, router
from django.test.utils import CaptureQueriesContext

from api import models as m
from tests.helpers import Editor
from tests.writes import BY_NAME

pytestmark = [pytest.mark.django_db(databases=["default", "replica"]), pytest.mark.postgresql]

STATEMENTS = "/api/v1/statements/"
SOURCES = "/api/v1/sources/"


@pytest.fixture(scope="module")
def token(django_db_setup, django_db_blocker):
    """An editor's token, committed as one made long ago would be: on the replica too."""
    with django_db_blocker.unblock():
        users = set(get_user_model().objects.values_list("pk", flat=True))
        groups = set(Group.objects.values_list("pk", flat=True))
        out = StringIO()
        call_command("create_editor", "replica-alice", stdout=out, stderr=StringIO())
        try:
            yield out.getvalue().strip().splitlines()[-1]
        finally:
            get_user_model().objects.exclude(pk__in=users).delete()
            Group.objects.exclude(pk__in=groups).delete()


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup):
    """The alias, on the test database: set up before the tests' own transactions."""
    connections.settings["replica"] = dict(connections["default"].settings_dict)
    try:
        yield
    finally:
        connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]


@pytest.fixture
def replica(settings):
    settings.DATABASE_REPLICAS = ["replica"]


def reads(client, path: str, **headers) -> tuple[int, int, int]:
    """(status, queries on the primary, queries on the replica) of a GET."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(path, headers=headers)
    return response.status_code, len(primary), len(replica)


def test_a_get_reads_only_from_a_replica(client, replica):
    status, on_primary, on_replica = reads(client, STATEMENTS)
    assert status == 200 and on_primary == 0 and on_replica > 0


def test_a_csv_export_streams_from_the_replica(client, replica):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        response = client.get(STATEMENTS, {"format": "csv"})
        body = b"".join(response.streaming_content)
    assert body.count(b"\n") == m.Statement.objects.count() + 1
    assert len(primary) == 0 and len(on_replica) > 0


def test_a_write_goes_to_the_primary_and_its_writer_reads_it_back_from_there(
    client, replica, token
):
    alice = Editor(client, token)
    body = {
        **BY_NAME["sources"].new,
        "slug": "replica-test",
        "url": "https://example.org/replica-test",
    }
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert alice.post(SOURCES, body).status_code == 201
    assert len(on_replica) == 0
    # The replica has not caught up (it cannot see the test's transaction): an anonymous reader
    # does not find the new source yet, its writer does, from the primary.
    assert reads(client, f"{SOURCES}replica-test/")[0] == 404
    status, on_primary, on_replica = reads(client, f"{SOURCES}replica-test/", **alice.auth)
    assert status == 200 and on_primary > 0 and on_replica == 0


def test_a_writer_reads_from_a_replica_again_once_the_pin_has_passed(
    client, replica, settings, token
):
    settings.DATABASE_REPLICA_PIN_SECONDS = 1
    alice = Editor(client, token)
    body = {
        **BY_NAME["sources"].new,
        "slug": "replica-test",
        "url": "https://example.org/replica-test",
    }
    assert alice.post(SOURCES, body).status_code == 201
    status, on_primary, on_replica = reads(client, STATEMENTS, **alice.auth)
    assert status == 200 and on_primary > 0 and on_replica == 0
    time.sleep(1.5)
    status, on_primary, on_replica = reads(client, STATEMENTS, **alice.auth)
    assert status == 200 and on_primary == 0 and on_replica > 0


def test_outside_requests_reads_go_to_the_primary_and_migrations_only_there(client, replica):
    assert client.get(STATEMENTS).status_code == 200
    assert router.db_for_read(m.Statement) == "default"
    assert router.allow_migrate("replica", "api") is False
    assert router.allow_migrate("default", "api") is True
