"""Clients that send half a request hold no thread of gunicorn's (kpdata/workers.py): more of
them than a worker has threads leave a whole request answered."""

import socket
import urllib.request

from tests.live import live_server


def test_more_half_requests_than_threads_leave_a_whole_one_answered(live_database, tmp_path):
    with live_server(live_database, tmp_path, workers=1) as (base, _):
        port = int(base.rsplit(":", 1)[1])
        slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(24)]  # 8 threads
        try:
            for n, sock in enumerate(slow):
                if n % 2:
                    sock.sendall(b"GET /api/v1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            # The timeout only keeps a failing test from hanging; the figure is make abuse's.
            with urllib.request.urlopen(f"{base}/api/v1/blocs/", timeout=30) as answer:
                assert answer.status == 200
            slow[1].sendall(b"done\r\n\r\n")  # a head completed late is still served
            assert slow[1].recv(12) == b"HTTP/1.1 200"
        finally:
            for sock in slow:
                sock.close()
