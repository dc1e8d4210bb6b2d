"""Servers the tests start for themselves: a free port, waiting for one to listen, and a Redis
of a test's own (skipped where redis-server is not installed)."""

import contextlib
import shutil
import socket
import subprocess
import time

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
