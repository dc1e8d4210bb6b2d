"""A replica that fails after its last probe found it well: frozen (it accepts and acknowledges,
and answers nothing) or stopped. A read waits on it at most about a second, then the primary
answers; the replica is left out until a probe finds it well again."""

import contextlib
import socket
import threading
import time
import types

import pytest
from django.db import connections

from api import replicas

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]
STATEMENTS = "/api/v1/statements/?page_size=5"


class Proxy:
    """A TCP relay to PostgreSQL that can freeze (hold every byte, as a SIGSTOPped server
    does) or stop (close every connection, as a stopped one does)."""

    def __init__(self, port: int):
        self.target, self.frozen, self.sockets = port, threading.Event(), []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        with contextlib.suppress(OSError):
            while True:
                client, _ = self.listener.accept()
                server = socket.create_connection(("127.0.0.1", self.target))
                self.sockets += [client, server]
                for a, b in ((client, server), (server, client)):
                    threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                while self.frozen.is_set():
                    time.sleep(0.05)
                sink.sendall(data)

    def stop(self):
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()


@pytest.fixture
def proxied(db, settings, monkeypatch, django_db_blocker):
    """A replica alias reaching the test database through the relay, found healthy."""
    monkeypatch.setattr(replicas, "health", replicas.Health())
    config = connections["default"].settings_dict
    proxy = Proxy(int(config["PORT"] or 5432))
    # Added after the test's set-up: its reads are outside the test's transaction.
    connections.settings["relayed"] = {**config, "HOST": "127.0.0.1", "PORT": proxy.port}
    relayed = connections["relayed"]
    # Django's own connect, which the test's set-up replaced for databases it did not declare:
    # the relayed replica is reached outside the test's transaction, as a real one would be.
    relayed.ensure_connection = types.MethodType(django_db_blocker._real_ensure_connection, relayed)
    settings.DATABASE_REPLICAS = ["relayed"]
    try:
        assert replicas.health.probe("relayed", wait=5)
        yield proxy
    finally:
        proxy.frozen.clear()
        proxy.stop()
        with contextlib.suppress(Exception):
            connections["relayed"].close()
        del connections["relayed"]
        del connections.settings["relayed"]


def timed_get(client, path: str) -> tuple[int, float]:
    started = time.monotonic()
    status = client.get(path).status_code
    return status, time.monotonic() - started


@pytest.mark.parametrize("fault", ["frozen", "stopped"])
def test_a_read_on_a_replica_that_fails_is_answered_by_the_primary_within_two_seconds(
    client, proxied, fault
):
    assert timed_get(client, STATEMENTS)[0] == 200  # a connection to the replica, kept
    assert connections["relayed"].connection is not None
    if fault == "frozen":
        proxied.frozen.set()
    else:
        proxied.stop()
    status, seconds = timed_get(client, STATEMENTS)
    assert status == 200 and seconds < 2, (status, seconds)
    assert replicas.health.usable() == []  # left out: the next reads go to the primary at once
    status, seconds = timed_get(client, STATEMENTS)
    assert status == 200 and seconds < 0.5 + replicas.WAIT_SECONDS / 2


def test_a_probe_that_hangs_leaves_its_replica_out_without_waiting(client, proxied):
    replicas.health.checked["relayed"] = 0  # due for a probe
    proxied.frozen.set()
    replicas.health.usable()  # the probe starts, and hangs on the frozen replica
    time.sleep(replicas.PROBE_SECONDS + 0.2)
    assert replicas.health.usable() == []
