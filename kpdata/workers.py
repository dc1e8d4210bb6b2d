"""gunicorn's threaded worker, made to read each request's head before a thread takes it.

gunicorn's gthread worker gives a new connection to a thread, which then waits for the request's
head: a client that sends half a head and nothing more holds that thread, and a few such clients
hold every thread of the server. This worker reads heads in its event loop, which waits on any
number of sockets at once, and hands a request to a thread only when its head is whole (or too
long, for the parser to refuse). A head not whole within HEADER_TIMEOUT seconds of its first
byte, or of the connection, closes the connection.
"""

import contextlib
import errno
import json
import selectors
import time
from collections import deque
from functools import partial

from gunicorn import util
from gunicorn.workers.gthread import TConn, ThreadWorker

# Seconds a client has to send a request's whole head (nginx's client_header_timeout is 60 s;
# no honest client needs more than a few).
HEADER_TIMEOUT = 10.0
# A head longer than this goes to the parser, which answers it with its limits' error.
HEAD_LIMIT = 64 * 1024


# What gunicorn's refusals say, by status, beside the parser's own words (which may be empty).
REFUSALS = {
    400: "The request could not be read as HTTP/1.1",
    414: "The request line (method, address and query) is longer than the server reads: ask "
    "for fewer values at once, or split the request",
    431: "A header, or the head as a whole, is larger than the server reads",
}


def write_problem(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's answer to a request it refuses itself (too long a line or header, a malformed
    request), as problem details (api/problems.py) instead of its HTML page."""
    from api.problems import PROBLEM_TYPE, problem  # the app is loaded by the time it answers

    said = " ".join(mesg.split())[:200]
    detail = REFUSALS.get(status_int, said or reason)
    if said and status_int in REFUSALS:
        detail = f"{detail}: {said}"
    body = json.dumps(problem(status_int, detail + ("" if detail.endswith(".") else "."))).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: {PROBLEM_TYPE}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


class HeadFirstWorker(ThreadWorker):
    """gthread, with each request's head read in the event loop instead of a thread, and its
    own error answers written as problem details."""

    def init_process(self):
        self.heads = deque()  # connections whose head is coming, oldest deadline first
        # gunicorn's handle_error decides the status and logs; its page is written by
        # util.write_error, which this worker's process writes as problem details instead.
        util.write_error = write_problem
        super().init_process()

    def accept(self, listener):
        if self.cfg.is_ssl:  # TLS ends in the thread, as gunicorn does it (nginx ends it here)
            return super().accept(listener)
        try:
            sock, client = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        self.wait_for_head(TConn(self.cfg, sock, client, listener.getsockname()))

    def on_client_socket_readable(self, conn, client):
        """A kept-alive connection's next request is coming: read its head here too."""
        if self.cfg.is_ssl:
            return super().on_client_socket_readable(conn, client)
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self.wait_for_head(conn)

    def wait_for_head(self, conn):
        conn.head = bytearray()
        conn.head_deadline = time.monotonic() + HEADER_TIMEOUT
        conn.sock.setblocking(False)
        self.heads.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_head, conn))

    def on_head(self, conn, client):
        try:
            data = conn.sock.recv(HEAD_LIMIT)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client went away
            self.drop_head(conn)
            return
        conn.head += data
        if b"\r\n\r\n" not in conn.head and len(conn.head) <= HEAD_LIMIT:
            return
        self.poller.unregister(conn.sock)
        self.heads.remove(conn)
        conn.init()  # the parser (plain HTTP/1: no I/O), and blocking mode for the thread
        conn.parser.unreader.unread(bytes(conn.head))
        conn.data_ready = True
        self.enqueue_req(conn)

    def drop_head(self, conn):
        with contextlib.suppress(OSError, KeyError, ValueError):
            self.poller.unregister(conn.sock)
        self.heads.remove(conn)
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self):
        """Also close the connections whose head did not come in time."""
        super().murder_pending()
        now = time.monotonic()
        while self.heads and self.heads[0].head_deadline <= now:
            self.drop_head(self.heads[0])
