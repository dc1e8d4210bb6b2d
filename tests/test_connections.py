"""Kept database connections: checked before each request without a round trip
(kpdata/postgresql/base.py), and one the server dropped is found and replaced."""

import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
]


def test_a_live_connection_is_found_usable_without_asking_the_server(monkeypatch):
    connection.ensure_connection()

    def asked(self):
        raise AssertionError("SELECT 1 was sent to a live connection")

    monkeypatch.setattr(base.DatabaseWrapper, "is_usable", asked)
    assert connection.is_usable()


def test_a_connection_the_server_dropped_is_found_unusable():
    other = connections.create_connection("default")
    try:
        other.ensure_connection()
        pid = other.connection.info.backend_pid
        assert other.is_usable()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(50):  # the server's goodbye reaches the socket
            if not other.is_usable():
                break
            time.sleep(0.05)
        assert not other.is_usable()
        other.close_if_unusable_or_obsolete()  # a request starts (close_old_connections)
        with other.cursor() as cursor:  # its first query: checked, dropped, connected again
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
        assert other.connection.info.backend_pid != pid
    finally:
        other.close()
