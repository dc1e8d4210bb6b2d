"""Reading the reference CSV files: rows with their line numbers, and strict value parsers."""

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pycountry

from api.models import Confidence, DatePrecision

CONFIDENCE_CODES = {
    "V": Confidence.VERIFIED,
    "S": Confidence.SINGLE_SOURCE,
    "U": Confidence.UNCERTAIN,
}


class BadValue(ValueError):
    """A value that cannot be read; its message says why, in words a data editor understands."""


@dataclass(frozen=True)
class Row:
    """One CSV record, with the file and the line it starts on, for error messages."""

    file: str
    line: int
    values: dict[str, str]

    @property
    def origin(self) -> str:
        return f"{self.file}, line {self.line}"

    def __getitem__(self, column: str) -> str:
        return self.values.get(column) or ""


def read_rows(path: Path, required: set[str]) -> Iterator[Row]:
    """Yield the rows of a UTF-8 CSV file; every value is a string, so Namibia's `NA` stays `NA`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadValue(f"{path.name}: the file is missing from {path.parent}") from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise BadValue(f"{path.name}, line {line}: the file is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    missing = required - set(reader.fieldnames or [])
    if missing:
        raise BadValue(f"{path.name}, line 1: missing column(s) {', '.join(sorted(missing))}")
    line = 2
    try:
        for values in reader:
            if None in values:
                raise BadValue(f"{path.name}, line {line}: more values than columns")
            # Values are kept byte for byte: a statement's words are never trimmed or edited.
            yield Row(path.name, line, {k: v or "" for k, v in values.items()})
            line = reader.line_num + 1
    except csv.Error as error:
        raise BadValue(f"{path.name}, line {reader.line_num}: {error}") from None


def confidence(code: str) -> str:
    try:
        return CONFIDENCE_CODES[code]
    except KeyError:
        raise BadValue(f"confidence must be V, S or U, not {code!r}") from None


def choice(value: str, choices, column: str) -> str:
    """One of a TextChoices' values (or of a plain sequence of values)."""
    allowed = list(getattr(choices, "values", choices))
    if value not in allowed:
        raise BadValue(f"{column} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def precise_date(
    value: str, precision: str, column: str
) -> tuple[datetime.date | None, str | None]:
    """A date and its precision; a month or year is its first day, an empty date is null."""
    if not value:
        if precision:
            raise BadValue(f"{column} is empty but its precision is {precision!r}")
        return None, None
    precision = precision or DatePrecision.DAY
    if precision not in DatePrecision.values:
        raise BadValue(f"{column} precision must be day, month or year, not {precision!r}")
    day = plain_date(value, column)
    if precision == DatePrecision.MONTH and day.day != 1:
        raise BadValue(f"{column} {value} has month precision but is not the first of the month")
    if precision == DatePrecision.YEAR and (day.month, day.day) != (1, 1):
        raise BadValue(f"{column} {value} has year precision but is not 1 January")
    return day, precision


def plain_date(value: str, column: str) -> datetime.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise BadValue(f"{column} must be a date as YYYY-MM-DD, not {value!r}")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BadValue(f"{column} {value!r} is not a real day") from None


def published_date(value: str, column: str) -> tuple[datetime.date | None, str | None]:
    """A publication date written as YYYY-MM-DD or YYYY-MM."""
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return precise_date(f"{value}-01", DatePrecision.MONTH, column)
    return precise_date(value, "", column)


def boolean(value: str, column: str) -> bool | None:
    """true, false, or empty for unknown."""
    if value in {"", "true", "false"}:
        return None if value == "" else value == "true"
    raise BadValue(f"{column} must be true, false or empty, not {value!r}")


def amount(value: str, column: str) -> Decimal | None:
    """A non-negative figure with at most two decimals, or empty."""
    if not value:
        return None
    if not re.fullmatch(r"\d+(\.\d{1,2})?", value):
        raise BadValue(
            f"{column} must be a non-negative number with at most two decimals, not {value!r}"
        )
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise BadValue(f"{column} is not a number: {value!r}") from None


def count(value: str, column: str) -> int | None:
    if not value:
        return None
    if not re.fullmatch(r"\d{1,9}", value):
        raise BadValue(f"{column} must be a whole non-negative number, not {value!r}")
    return int(value)


def year(value: str, column: str = "year") -> int:
    if not re.fullmatch(r"(19|20)\d\d", value):
        raise BadValue(f"{column} must be a year such as 2022, not {value!r}")
    return int(value)


def urls(value: str, column: str = "sources") -> list[str]:
    """Space-separated http(s) URLs."""
    found = value.split()
    for url in found:
        if not re.fullmatch(r"https?://[^\s\"<>]+", url) or len(url) > 500:
            raise BadValue(f"{column} holds {url!r}, which is not an http(s) URL")
    return found


def listed(value: str, separator: str = ";") -> list[str]:
    return [item.strip() for item in value.split(separator) if item.strip()]


def alpha2(value: str, column: str) -> str:
    """An ISO 3166-1 alpha-2 code, or EU, the code ISO reserves for the European Union."""
    if value != "EU" and pycountry.countries.get(alpha_2=value) is None:
        raise BadValue(f"{column} {value!r} is not an ISO 3166-1 alpha-2 code")
    return value


def alpha3(value: str, code: str) -> str | None:
    if not value:
        if code != "EU":
            raise BadValue(f"iso3 is empty for {code}")
        return None
    country = pycountry.countries.get(alpha_2=code)
    if country is None or country.alpha_3 != value:
        raise BadValue(f"iso3 {value!r} is not the alpha-3 code of {code}")
    return value


def required(row: Row, *columns: str) -> None:
    for column in columns:
        if not row[column]:
            raise BadValue(f"{column} is empty")
