"""What `make bench` prints, and its section of bench/RESULTS.md."""

import re
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
START, END = "<!-- make bench: start -->", "<!-- make bench: end -->"
SIZE = re.compile(r"<!-- statements: (\d+) -->")
INTRO = """## `make bench`: the API against a hand-written reference

Written by `bench/bench.py` at the end of every `make bench`: one table per database size, the
latest run of each. In the same run and on the same database, the reference
(`bench/reference.py`, and `bench/reference_positions.py` for stands: WSGI, hand-written SQL
through psycopg 3, orjson; no Django) answers the same requests with the same bodies (checked:
"Same answers" under each table), served by
gunicorn with the API's own `gunicorn.conf.py` and as many workers. wrk drives both on the
loopback, with the same connections for the same time, sides alternating.

- Cold and warm. 1a, 1b, 2 and 6a-6d are each measured twice. **Cold** (the figure, the one
  the target applies to): URLs drawn from a pool of that shape, each asked once by each server,
  as NGOs' tools and researchers walking the record ask them (`bench/pools.py`: details by
  random ids, lists by participant x topic and x search word, stands by actor, position, topic
  and year ranges; both servers get the same sequence); nothing kept from an earlier request
  can answer them. **Warm** (in the notes): one URL asked throughout a run, as for a popular
  URL, which the API answers from what it kept for the dataset version (a list's count and
  keys). A statement's detail, cold or warm, is one query: its JSON written by PostgreSQL
  from its plain values (`api/statement_json.py`), by a query compiled once per shape
  (`api/prepared.py`), its topics in the same row (no version read, nothing kept); a cold
  list of statements finds its keys with its filters, then reads its rows by key alone; a
  plain request for stands (every filter known, every value good) is read by hand-written SQL
  (`api/stand_queries.py`): one query for its codes and slugs, one for its page and count.
  Each figure is the median of the rounds (three by default), each round's ratio taken from
  its own pair of runs (the sides alternate which goes first); the load average at the start
  of each round, and anything other than a 200 (or a 304 for 5), is written under the table.
  A pool that runs out (a URL asked twice) is flagged.
- 1a: the statements of a participant on a topic, a page of 100 or 50; 1b: the same with a
  search word; 2: a statement with its 6 references expanded, by a random id.
- 3: what a deep page costs against page 1 (cost = 1 / throughput). The deep pages are the
  4,000 pages around page 5,000 (3,000 to 6,999: on average, page 5,000's offset), each asked
  for once, so that a page kept in a cache does not pass for a cheap one. The API finds a
  page's rows by their keys, read 10,000 at a time and kept per dataset version, so the
  skipped rows are scanned once per 100 pages of 100, as for a client walking the pages.
- 4: one whole download of the export with curl, in rows per second; the reference is
  PostgreSQL's `COPY (SELECT ...) TO STDOUT` of the same columns in the same order (the same
  bytes but for CSV line ends: `\\n`, not `\\r\\n`), streamed by the reference app. The API
  exports statements by COPY too (`api/pgcopy.py`: the list's own query, each column the SQL
  twin of its serializer, the topics gathered in one pass, CSV line ends made CRLF as RFC 4180
  asks). Memory: the serving gunicorn worker's peak resident set (VmRSS every 20 ms, and VmHWM
  reset before).
  The API runs with `gunicorn.conf.py` as it is; only the reference's worker timeout is raised,
  so that the baseline is never cut short.
- 5: 304 responses per second to `If-None-Match` with the list's ETag, over full responses per
  second of the same list. The reference's ETag comes from the latest `updated_at` of the
  tables a statement reads and the last history row (indexes only).
- 6a-6d: stands, measured as 1a is: 6a the stands of a participant from a year to a year (or
  of a topic), 6b a participant's stands of one kind on a topic from a year, 6c the agreement of
  two participants (or of one, on a topic), 6d a participant's record on a topic or from a
  year; warm, the participant with the most stands (its stands of support, its agreement with
  every other actor, its record). The reference reads the stands it needs with one query and
  counts in Python, as the API does after its filters. The synthetic data gives participants'
  stands only (1 to 6 on each proposal, one proposal per 2,000 statements); observers' stands
  come from the reference data alone.
"""


@dataclass
class Figure:
    """One line of the report: a value for the API and the reference, and the verdict."""

    key: str
    name: str
    api: float | None
    reference: float | None
    unit: str
    ratio: float | None
    target: str
    passed: bool
    note: str = ""

    def cells(self) -> list[str]:
        return [self.key, self.name, _value(self.api, self.unit),
                _value(self.reference, self.unit),
                "n/a" if self.ratio is None else f"{self.ratio:.2f}", self.target,
                "PASS" if self.passed else "FAIL"]  # fmt: skip


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "x":
        return f"{value:.2f}x"
    digits = 0 if value >= 100 else 1 if value >= 10 else 2
    return f"{value:,.{digits}f} {unit}"


HEADER = ["#", "figure", "API", "reference", "ratio", "target", "result"]


def table(figures: list[Figure]) -> str:
    """The figures as aligned text lines, each note on the line after its figure."""
    rows = [HEADER, *(figure.cells() for figure in figures)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    align = [str.ljust, str.ljust, str.rjust, str.rjust, str.rjust, str.ljust, str.ljust]
    lines = []
    for row, figure in zip(rows, [None, *figures], strict=True):
        cells = [how(cell, width) for how, cell, width in zip(align, row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
        if figure is not None and figure.note:
            lines.append(" " * (widths[0] + 2) + "  " + figure.note)
    return "\n".join(lines)


def markdown(figures: list[Figure]) -> str:
    escape = str.maketrans({"|": "\\|"})
    header = [*HEADER, "notes"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for figure in figures:
        cells = [*figure.cells(), figure.note]
        lines.append("| " + " | ".join(cell.translate(escape) for cell in cells) + " |")
    return "\n".join(lines)


def record(statements: int, block: str, path: Path = RESULTS) -> None:
    """Put this size's block into our section of RESULTS.md, keeping every other section and
    the blocks of other sizes."""
    text = path.read_text() if path.exists() else "# Benchmark results\n\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        inside, after = rest.split(END, 1)
    else:
        before, inside, after = text.rstrip() + "\n\n", "", "\n"
    blocks = {int(size): body.strip() + "\n" for size, body in _blocks(inside)}
    blocks[statements] = f"<!-- statements: {statements} -->\n{block.strip()}\n"
    body = "\n".join(blocks[size] for size in sorted(blocks, reverse=True))
    path.write_text(f"{before}{START}\n{INTRO}\n{body}{END}{after}")


def _blocks(inside: str) -> list[tuple[str, str]]:
    """(size, text) of each block in the section, a block running to the next size marker."""
    marks = list(SIZE.finditer(inside))
    return [
        (mark[1], inside[mark.start() : marks[i + 1].start() if i + 1 < len(marks) else None])
        for i, mark in enumerate(marks)
    ]
