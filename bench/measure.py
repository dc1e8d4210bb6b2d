"""The instruments of `make bench`: wrk runs, timed downloads, and a gunicorn worker's memory."""

import contextlib
import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")


class BenchError(Exception):
    """The benchmark cannot go on: a tool missing, a server that does not start, no result."""


@dataclass
class Load:
    """One wrk run: responses by status over the run's length, and latency percentiles."""

    seconds: float
    capped: bool  # it reached its limit of responses: its rate is a lower bound
    statuses: dict[int, int]
    errors: dict[str, int]
    p50_ms: float
    p99_ms: float

    def rate(self, status: int = 200) -> float:
        """Responses per second with this status: errors and surprises do not count."""
        return self.statuses.get(status, 0) / self.seconds if self.seconds else 0.0

    def surprises(self, status: int = 200) -> str:
        """Whatever came back other than `status`, as `500: 12, read errors: 3`, or ''."""
        parts = [f"{code}: {n}" for code, n in sorted(self.statuses.items()) if code != status]
        parts += [f"{kind} errors: {n}" for kind, n in self.errors.items() if n]
        return ", ".join(parts)


Pool = tuple[Path, int]  # a file of paths, one a line; where this run starts in it


def wrk(url: str, *, duration: int, connections: int, threads: int, limit: int,
        headers: tuple[str, ...] = (), pool: Pool | None = None) -> Load:  # fmt: skip
    """Drive `url` for `duration` seconds, or until `limit` responses, whichever comes first.

    With a `pool` (a file of paths, one a line, and where to start in it), each request asks
    for the next path of the file: `url` gives only the server. The limit stops the requests,
    not the clock: a run that reaches it reports a lower rate.
    """
    command = ["wrk", f"-t{threads}", f"-c{max(connections, threads)}", f"-d{duration}s",
               "--timeout", "30s", "-s", str(WRK_SCRIPT)]  # fmt: skip
    for header in headers:
        command += ["-H", header]
    command += [url, "--", str(-(-limit // threads))]
    if pool:
        command += [str(threads), str(pool[0]), str(pool[1])]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 90)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not finish: {url}") from None
    lines = [line for line in result.stdout.splitlines() if line.startswith("BENCH ")]
    if not lines:
        raise BenchError(f"wrk gave no result for {url}: {(result.stderr or result.stdout)[-500:]}")
    data = json.loads(lines[-1].removeprefix("BENCH "))
    return Load(
        seconds=data["duration_us"] / 1e6,
        capped=sum(data["statuses"].values()) >= -(-limit // threads) * threads,
        statuses={int(code): count for code, count in data["statuses"].items()},
        errors=data["errors"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )


@dataclass
class Download:
    """One whole body fetched by curl: its status, size, lines and time."""

    status: int
    size: int
    lines: int
    seconds: float
    ends_with_newline: bool
    error: str  # curl's complaint, if any: a cut transfer, a timeout

    def rows_per_second(self, rows: int) -> float:
        return rows / self.seconds if self.seconds else 0.0


def download(url: str, limit: int) -> Download:
    """GET `url` to nowhere, counting lines, for at most `limit` seconds."""
    command = ["curl", "-sS", "--max-time", str(limit), "-o", "-", "-w",
               "%{stderr}BENCH %{http_code} %{size_download} %{time_total}\n", url]  # fmt: skip
    lines, last = 0, b""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        while chunk := process.stdout.read1(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
        stderr = process.stderr.read().decode(errors="replace")
        process.wait()
    report = [line for line in stderr.splitlines() if line.startswith("BENCH ")]
    if not report:
        raise BenchError(f"curl gave no result for {url}: {stderr[-500:]}")
    _, status, size, seconds = report[-1].split()
    error = " ".join(line for line in stderr.splitlines() if not line.startswith("BENCH "))
    return Download(int(status), int(size), lines, float(seconds), last == b"\n", error.strip())


def workers(master: int) -> list[int]:
    """The pids of a gunicorn master's workers: its children."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) and stat[1] == master:
            found.append(int(entry.name))
    return found


def _stat(pid: int) -> list[int] | None:
    """/proc/<pid>/stat after the command name, as numbers where they are (ppid is [1])."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return [int(part) if part.lstrip("-").isdigit() else 0 for part in fields]


def cpu_ticks(pid: int) -> int | None:
    stat = _stat(pid)
    return stat[11] + stat[12] if stat else None  # utime + stime


def threads(pid: int) -> int | None:
    stat = _stat(pid)
    return stat[17] if stat else None  # num_threads


def resident_kib(pid: int) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) of a process in KiB: its resident memory now, and at its peak."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    values = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


@dataclass
class MemoryWatch:
    """Samples every worker of a gunicorn master while a download runs.

    The serving worker is the one that spent the most CPU time meanwhile; its peak is the most
    of its sampled VmRSS and of VmHWM, the kernel's own high-water mark, reset at the start.
    """

    master: int
    interval: float = 0.02
    peaks: dict[int, int] = field(default_factory=dict)
    starts: dict[int, int] = field(default_factory=dict)
    cpu: dict[int, tuple[int, int]] = field(default_factory=dict)
    gone: set[int] = field(default_factory=set)

    def __enter__(self) -> "MemoryWatch":
        for pid in workers(self.master):
            with contextlib.suppress(OSError):  # 5: VmHWM starts again from VmRSS
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            if memory := resident_kib(pid):
                self.starts[pid] = memory[0]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        rescan = 0.0
        pids = workers(self.master)
        while not self._stop.wait(self.interval):
            if time.monotonic() > rescan:  # a worker may die and another take its place
                pids, rescan = workers(self.master), time.monotonic() + 0.5
            self._sample(pids)

    def _sample(self, pids: list[int] | None = None) -> None:
        for pid in pids if pids is not None else [*workers(self.master), *self.peaks]:
            memory, ticks = resident_kib(pid), cpu_ticks(pid)
            if memory is None or ticks is None:
                if pid in self.peaks:
                    self.gone.add(pid)
                continue
            self.peaks[pid] = max(self.peaks.get(pid, 0), *memory)
            first, _ = self.cpu.get(pid, (ticks, ticks))
            self.cpu[pid] = (first, ticks)

    def serving(self) -> tuple[int | None, int, int, bool]:
        """(pid, peak KiB, KiB at the start, whether it died) of the worker that did the work."""
        if not self.cpu:
            return None, 0, 0, False
        pid = max(self.cpu, key=lambda p: self.cpu[p][1] - self.cpu[p][0])
        return pid, self.peaks.get(pid, 0), self.starts.get(pid, 0), pid in self.gone
