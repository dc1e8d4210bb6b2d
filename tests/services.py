"""Servers the tests start for themselves: a free port, waiting for one to listen, and a Redis
and a PgBouncer of a test's own (skipped where they are not installed)."""

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float = 5) -> None:
    """Return once something listens on the port (or after `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)


@contextlib.contextmanager
def redis_server(folder):
    """(process, port) of a redis-server of the test's own, keeping nothing on disk."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    command = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", str(folder)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        yield process, port
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(18)  # SIGCONT, if a test froze it
            process.kill()
        process.wait()


PGBOUNCER = "/usr/sbin/pgbouncer"
POOLER_CONFIG = """[databases]
* = host={host} port={port}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/users.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
ignore_startup_parameters = extra_float_digits
logfile = {folder}/pgbouncer.log
pidfile = {folder}/pgbouncer.pid
"""


@contextlib.contextmanager
def pgbouncer(folder, host: str = "127.0.0.1", port: int = 5432, user: str = "postgres"):
    """The port of a PgBouncer of the caller's own, in transaction mode, in front of every
    database of the PostgreSQL server at host:port (skipped where PgBouncer is not installed)."""
    if not os.path.exists(PGBOUNCER):
        pytest.skip(f"PgBouncer is not installed ({PGBOUNCER}; Debian package pgbouncer)")
    folder = Path(folder)
    listen = free_port()
    (folder / "users.txt").write_text(f'"{user}" ""\n')
    config = folder / "pgbouncer.ini"
    config.write_text(POOLER_CONFIG.format(host=host, port=port, listen=listen, folder=folder))
    # PgBouncer will not run as root: as the postgres user then, its files its own.
    prefix = []
    if os.geteuid() == 0:
        prefix = ["runuser", "-u", "postgres", "--"]
        for path in (folder, *folder.iterdir()):
            shutil.chown(path, "postgres")
    process = subprocess.Popen([*prefix, PGBOUNCER, str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        wait_for_port(listen)
        if process.poll() is not None:
            raise RuntimeError(f"PgBouncer did not start: {(folder / 'pgbouncer.log').read_text()}")
        yield listen
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        process.wait()
