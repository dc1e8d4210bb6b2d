"""Django's PostgreSQL backend, but a kept connection is checked without a round trip.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before each request's first query, so that a
connection the server dropped (a restart, an idle timeout) is replaced instead of failing the
request. A server that drops a connection says so on its socket: it sends its last message and
closes it. An idle connection whose socket has nothing to read is alive; only one that has
something (a server's goodbye, a notice) is asked, as Django asks. At a few milliseconds a
request, that round trip was a tenth of a cold detail's cost.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        try:
            waiting, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # the socket is gone
            return False
        return not waiting or super().is_usable()
