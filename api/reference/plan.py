"""The plan: every record the reference files describe, checked in memory before any write."""

import contextlib
import hashlib
import re
from collections import defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.db import models
from django.utils.text import slugify

from api.models import Confidence, Organisation, Participant, Source, SourceKind, Topic
from api.models.base import slug_validator

from . import parsing
from .parsing import BadValue, Row, read_rows


@dataclass(frozen=True)
class Ref:
    """A reference to another planned record, by the identifier the files use (code, slug, URL)."""

    model: type[models.Model]
    ident: Hashable


@dataclass
class Record:
    """One record to write: its fields (references as `Ref`) and its many-to-many links."""

    model: type[models.Model]
    ident: Hashable
    fields: dict
    origin: str
    m2m: dict[str, list[Ref]] = field(default_factory=dict)

    def link(self, name: str, *refs: Ref) -> None:
        """Add references to a many-to-many field, once each, keeping their order."""
        current = self.m2m.setdefault(name, [])
        current.extend(ref for ref in refs if ref not in current)


class Plan:
    """Records by model and identifier, and the errors found on the way, one line each."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.records: dict[type, dict[Hashable, Record]] = defaultdict(dict)
        self.errors: list[str] = []
        # Records made from a mention in another file (a statement's speaker, say): every row
        # that mentions them adds its source.
        self.derived: set[tuple[type, Hashable]] = set()

    # --- reading -------------------------------------------------------------------------------
    def rows(self, filename: str, required: set[str]) -> Iterator[Row]:
        """The rows of a file; a file that cannot be read at all is one error line."""
        try:
            yield from read_rows(self.directory / filename, required)
        except BadValue as error:
            self.errors.append(str(error))

    @contextlib.contextmanager
    def checking(self, row: Row) -> Iterator[None]:
        """Turn a bad value in this row into an error line naming the file and the line."""
        try:
            yield
        except BadValue as error:
            self.errors.append(f"{row.origin}: {error}")

    # --- records -------------------------------------------------------------------------------
    def add(self, model: type[models.Model], ident: Hashable, fields: dict, origin: str) -> Record:
        existing = self.records[model].get(ident)
        if existing is not None:
            raise BadValue(
                f"duplicate {model._meta.verbose_name} {ident!r} (first at {existing.origin})"
            )
        record = Record(model, ident, fields, origin)
        self.records[model][ident] = record
        return record

    def get(self, model: type[models.Model], ident: Hashable) -> Record | None:
        return self.records[model].get(ident)

    def ref(self, model: type[models.Model], ident: Hashable, column: str) -> Ref:
        """A reference to a record that must already be planned; else a clear error."""
        if ident not in self.records[model]:
            raise BadValue(f"{column} {ident!r} is not a known {model._meta.verbose_name}")
        return Ref(model, ident)

    def optional_ref(self, model: type[models.Model], ident: str, column: str) -> Ref | None:
        return self.ref(model, ident, column) if ident else None

    def actors(self, row) -> dict:
        """A row's participant (code) and organisation (slug), either of them possibly empty."""
        return {
            "participant_id": self.optional_ref(Participant, row["participant"], "participant"),
            "organisation_id": self.optional_ref(Organisation, row["organisation"], "organisation"),
        }

    def topic(self, slug: str) -> Ref:
        if slug not in self.records[Topic]:
            try:
                slug_validator(slug)
            except Exception:
                raise BadValue(
                    f"topic {slug!r} is not a slug (lower-case words joined by '-')"
                ) from None
            self.add(Topic, slug, {"slug": slug}, "topics")
        return Ref(Topic, slug)

    def sources(self, urls: list[str], **about: str) -> list[Ref]:
        """Plan a source for every URL (merging what the files say about it) and refer to them."""
        refs = []
        for url in urls:
            record = self.records[Source].get(url)
            if record is None:
                record = self.add(
                    Source,
                    url,
                    {"url": url, "confidence": Confidence.SINGLE_SOURCE, "note": ""},
                    "sources",
                )
            for name, value in about.items():
                # The first file that gives a title, publisher, author or date is the one kept.
                if value and not record.fields.get(name):
                    record.fields[name] = value
            refs.append(Ref(Source, url))
        return refs

    def cited_source(self, row: Row, **about: str) -> Ref:
        """The one source a row cites (`source_url`), with its publisher and publication day,
        and whatever else the row says about it (`about`: title, author)."""
        published_on, precision = parsing.published_date(row["published_on"], "published_on")
        (source,) = self.sources(
            parsing.urls(row["source_url"], "source_url"),
            publisher=row["publisher"],
            published_on=published_on,
            published_on_precision=precision,
            **about,
        )
        return source

    def finish_sources(self, host_kinds: dict[str, str]) -> None:
        """Give every source its slug and kind, which follow from its URL and title alone."""
        records = self.records[Source]
        bases = {url: source_slug(url) for url in records}
        taken = defaultdict(int)
        for base in bases.values():
            taken[base] += 1
        for url, record in records.items():
            slug = bases[url]
            if taken[slug] > 1:
                # Two URLs that read alike both get a short hash, whatever order they come in.
                slug = distinct_slug(slug, url)
            fields = record.fields
            fields["slug"] = slug
            fields["kind"] = source_kind(url, fields.get("title", ""), host_kinds)
            for name in ("title", "publisher", "author"):
                fields.setdefault(name, "")
            fields.setdefault("published_on", None)
            fields.setdefault("published_on_precision", None)


def source_slug(url: str) -> str:
    """A source's slug, from the words of its URL; see `distinct_slug` for URLs that read alike."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    host = host.rsplit(".", 1)[0] if "." in host else host
    words = re.sub(r"[\W_]+", " ", f"{host} {unquote(parts.path)} {parts.query}")
    slug = slugify(words)[:110].strip("-")
    return slug or hashlib.sha1(url.encode()).hexdigest()[:12]


def distinct_slug(slug: str, url: str) -> str:
    """The slug of a URL that reads like another one: shortened, plus a short hash of the URL."""
    return f"{slug[:110]}-{hashlib.sha1(url.encode()).hexdigest()[:8]}"


def source_kind(url: str, title: str, host_kinds: dict[str, str]) -> str:
    """The host decides for the press; otherwise the words of the URL and title do."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if host in host_kinds:
        return host_kinds[host]
    words = f"{urlsplit(url).path} {title}".lower()
    if "communique" in words or "communiqué" in words:
        return SourceKind.COMMUNIQUE
    if "report" in words:
        return SourceKind.REPORT
    return SourceKind.OTHER
