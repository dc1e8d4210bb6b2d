"""Reading a CSV table in any encoding, each row with the line it starts on, for error messages."""

import codecs
import csv
import io
from pathlib import Path

from api.reference.parsing import Row


class ImportRefused(Exception):
    """The file holds errors; `lines` says which, one per bad line. Nothing was written."""

    def __init__(self, lines: list[str]):
        super().__init__(f"{len(lines)} error(s); nothing was changed")
        self.lines = lines


def read_table(path: Path, encoding: str) -> tuple[list[str], list[Row], list[str]]:
    """The header (trimmed, lower case), the rows with the lines they start on, and bad rows.

    Every value is a string, so Namibia's `NA` stays a code; blank lines are skipped.
    """
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ImportRefused([f"--encoding {encoding!r} is not a known encoding"]) from None
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportRefused([f"{path.name}: cannot be read: {error.strerror}"]) from None
    try:
        # A byte-order mark, as spreadsheets write one, is not part of the first column's name.
        text = data.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            [f"{path.name}, line {line}: the file is not {encoding} text (see --encoding)"]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, bad = [], []
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        while True:
            line = reader.line_num + 1  # where the next record starts, even after a quoted newline
            cells = next(reader, None)
            if cells is None:
                break
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                bad.append(f"{path.name}, line {line}: more values than columns")
                continue
            values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
            rows.append(Row(path.name, line, values))
    except csv.Error as error:
        raise ImportRefused([f"{path.name}, line {reader.line_num}: {error}"]) from None
    return header, rows, bad


def line_order(error: str) -> tuple[int, str]:
    """Errors in the order of their lines, so that a long list reads like the file."""
    _, _, rest = error.partition(", line ")
    number = rest.split(":", 1)[0]
    return (int(number) if number.isdigit() else 0, error)
