"""The statement timeout behind PgBouncer in transaction mode: set at every transaction's start.

Directly on PostgreSQL, settings pass `statement_timeout` as a start-up parameter of each
connection. PgBouncer refuses that parameter (or, told to ignore it, drops it), and in
transaction mode a session's `SET` would land on whichever server connection the next
transaction borrows. So with `DATABASE_POOLER=pgbouncer` every transaction starts with
`SET LOCAL statement_timeout`: a transaction Django opens (atomic blocks, streamed exports) gets
it before its first statement, and a statement outside any (autocommit) runs in a transaction of
its own that sets it. One more round trip per transaction, to a pooler that is usually local.
"""

from django.conf import settings
from psycopg import pq


def install(sender, connection, **kwargs) -> None:
    """On each new PostgreSQL connection, when a pooler is in front: time every transaction."""
    wanted = settings.DATABASE_POOLER and connection.vendor == "postgresql"
    if wanted and timed not in connection.execute_wrappers:
        # First, so that a `with connection.execute_wrapper(...)` around it pops its own.
        connection.execute_wrappers.insert(0, timed)


def timed(execute, sql, params, many, context):
    """Runs a statement in a transaction whose statement timeout is the configured one."""
    database = context["connection"]
    raw = database.connection
    setting = f"SET LOCAL statement_timeout = {int(settings.STATEMENT_TIMEOUT_MS)}"
    if not raw.autocommit:
        if raw.info.transaction_status == pq.TransactionStatus.IDLE:
            with database.wrap_database_errors:
                raw.execute(setting)  # this statement begins the transaction Django asked for
        return execute(sql, params, many, context)
    with database.wrap_database_errors, raw.transaction():
        raw.execute(setting)
        return execute(sql, params, many, context)
