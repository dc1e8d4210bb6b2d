"""Read replicas (DATABASE_REPLICA_URLS): anonymous GETs read a healthy replica; writes, editors'
reads and every read while no replica is healthy go to the primary.

The replica here is a second database alias on the test database with its own connection: it
sees what is committed (the reference dataset) but not what the test's transaction writes, as a
replica that has not caught up yet would not.
"""

import socket
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections, router
from django.test.utils import CaptureQueriesContext

from api import models as m
from api import replicas
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


@pytest.fixture(autouse=True)
def health(monkeypatch):
    """Each test starts knowing nothing of the replicas' health, as a new process would."""
    monkeypatch.setattr(replicas, "health", replicas.Health())
    return replicas.health


@pytest.fixture
def replica(settings, health):
    settings.DATABASE_REPLICAS = ["replica"]
    assert health.probe("replica", wait=10)  # found healthy, as a probe in service would


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


def test_an_editor_reads_the_primary_long_after_writing_and_anonymous_clients_the_replica(
    client, replica, token
):
    # No pin to remember, in Redis or in a process: a request with credentials reads the
    # primary, so an editor reads their own writes whichever server answers.
    alice = Editor(client, token)
    for _ in range(3):
        status, on_primary, on_replica = reads(client, STATEMENTS, **alice.auth)
        assert status == 200 and on_primary > 0 and on_replica == 0
        status, on_primary, on_replica = reads(client, STATEMENTS)
        assert status == 200 and on_primary == 0 and on_replica > 0


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers: a frozen server."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_a_replica_that_does_not_answer_is_left_out_and_readiness_says_so(
    client, settings, health, fault, silent_port
):
    port = 9 if fault == "stopped" else silent_port  # 9: the discard port, nothing listens
    connections.settings["broken"] = {**connections["default"].settings_dict, "PORT": port,
                                      "HOST": "127.0.0.1"}  # fmt: skip
    try:
        settings.DATABASE_REPLICAS = ["broken"]
        for _ in range(5):  # the first asks for a probe, none waits for it
            status, on_primary, _ = reads(client, STATEMENTS)
            assert status == 200 and on_primary > 0
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["status"] == "degraded"
        assert ready.json()["replicas"] == {"broken": "unavailable"}
        assert health.usable() == []
    finally:
        del connections.settings["broken"]


def test_outside_requests_reads_go_to_the_primary_and_migrations_only_there(client, replica):
    assert client.get(STATEMENTS).status_code == 200
    assert router.db_for_read(m.Statement) == "default"
    assert router.allow_migrate("replica", "api") is False
    assert router.allow_migrate("default", "api") is True
