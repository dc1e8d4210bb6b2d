"""The two servers of `make bench`: gunicorn with the API's gunicorn.conf.py, each in a group."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.measure import BenchError, workers

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass
class Server:
    name: str
    base: str
    pid: int
    log: Path

    def url(self, path: str) -> str:
        return self.base + path

    def log_count(self, text: str) -> int:
        return self.log.read_text(errors="replace").count(text)

    def log_tail(self, lines: int = 15) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def server(name: str, env: dict, folder: Path, app: str | None = None, timeout: int = 0):
    """gunicorn with gunicorn.conf.py, as production runs it; `app` instead of the API's."""
    port = _free_port()
    # No control socket: one path is shared by every gunicorn of the user, others' included.
    command = [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py",
               "--bind", f"127.0.0.1:{port}", "--no-control-socket"]  # fmt: skip
    if timeout:
        command += ["--timeout", str(timeout)]
    if app:
        command.append(app)
    log = folder / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    running = Server(name, f"http://127.0.0.1:{port}", process.pid, log)
    try:
        _wait_until_up(running, process)
        yield running
    finally:
        stop(process)


def _wait_until_up(running: Server, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{running.name} did not start:\n{running.log_tail()}")
        try:
            with urllib.request.urlopen(running.url("/healthz"), timeout=5) as answer:
                if answer.status == 200:
                    _wait_for_workers(running)
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.3)
    raise BenchError(f"{running.name} did not answer /healthz in 90 s:\n{running.log_tail()}")


def _wait_for_workers(running: Server) -> None:
    """Until every worker has booted: the same number of them for a second."""
    count, steady, deadline = -1, 0, time.monotonic() + 30
    while steady < 4 and time.monotonic() < deadline:
        time.sleep(0.25)
        now = len(workers(running.pid))
        steady = steady + 1 if now == count else 0
        count = now


def stop(process: subprocess.Popen) -> None:
    """TERM to the server's process group (its master and workers, all ours), then KILL."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
