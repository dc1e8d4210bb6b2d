"""Errors that the HTTP server answers itself (gunicorn: too long a request line or header, a
request that is not HTTP) and those Django answers before any view (a Host it does not serve)
are problem details too, as a real server sends them."""

import json
import socket

import pytest

from tests.live import live_server


def ask(port: int, request: bytes) -> tuple[int, dict, dict]:
    """Send raw bytes; (status, headers, problem) of the answer, read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.lower(): value.strip() for name, value in (line.split(":", 1) for line in lines)
    }
    if headers.get("transfer-encoding") == "chunked":
        body = unchunked(body)
    return int(status_line.split()[1]), headers, json.loads(body)


def unchunked(body: bytes) -> bytes:
    whole = b""
    while True:
        size, _, body = body.partition(b"\r\n")
        if not int(size, 16):
            return whole
        whole, body = whole + body[: int(size, 16)], body[int(size, 16) + 2 :]


@pytest.fixture(scope="module")
def port(live_database, tmp_path_factory):
    with live_server(live_database, tmp_path_factory.mktemp("server-errors"), workers=1) as (
        base,
        _,
    ):
        yield int(base.rsplit(":", 1)[1])


WHOLE = b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n"
CASES = [
    # A 9 KB request line: past gunicorn's limit_request_line (8190).
    (b"GET /api/v1/participants/?search=" + b"a" * 9000 + b" HTTP/1.1\r\n" + WHOLE, 414,
     "uri-too-long"),
    # A 20 KB header: past gunicorn's limit on a header's size.
    (b"GET /api/v1/ HTTP/1.1\r\nX-Big: " + b"b" * 20000 + b"\r\n" + WHOLE, 431,
     "header-too-large"),
    (b"\x16\x03\x01 garbage that is no HTTP at all\r\n\r\n", 400, "invalid-request"),
    (b"GET /api/v1/ HTTP/9.9\r\n" + WHOLE, 400, "invalid-request"),
    (b"GET /api/v1/ HTTP/1.1\r\nBad Header Name: x\r\n" + WHOLE, 400, "invalid-request"),
    # Django's own: a Host it does not serve (DisallowedHost).
    (b"GET /api/v1/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", 400,
     "invalid-request"),
]  # fmt: skip


@pytest.mark.parametrize(("request_bytes", "status", "kind"), CASES, ids=lambda v: str(v)[:30])
def test_a_request_refused_before_any_view_is_answered_as_problem_details(
    port, request_bytes, status, kind
):
    got, headers, body = ask(port, request_bytes)
    assert got == status, body
    assert headers["content-type"] == "application/problem+json"
    assert body["type"] == f"/problems/{kind}" and body["status"] == status
    assert body["title"] and body["detail"]
