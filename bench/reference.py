"""The benchmarks' reference: the statements API by hand, in WSGI with psycopg 3 and orjson."""

# What `make bench` holds the API to: the same requests, answered with bodies of the same shape
# (see api/serializers/statements.py) by the plainest fast code, with no framework. Served by
# gunicorn with the API's own gunicorn.conf.py: `gunicorn --config gunicorn.conf.py
# bench.reference:application`, DATABASE_URL naming the benchmark database.

import hashlib
import os
import re
from urllib.parse import parse_qs, urlencode

import orjson
import psycopg

from bench.reference_sql import COLUMNS, JOINS, ORDER, SEARCH, VERSION, export_query

LIST_PATH = re.compile(r"^/api/v1/statements(?:/|\.(csv|ndjson))$")
DETAIL_PATH = re.compile(r"^/api/v1/statements/([0-9]{1,18})/$")
LIST_PARAMETERS = {"page", "page_size", "participant", "topic", "search", "format", "expand"}
EXPANDABLE = ("speaker", "organisation", "participant", "meeting", "proposal", "source")
STREAMED = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson; charset=utf-8"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
BLOCK = 64 * 1024

_connection: psycopg.Connection | None = None


def connection() -> psycopg.Connection:
    """This worker's connection, opened on its first request and kept."""
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(
            os.environ["DATABASE_URL"],
            autocommit=True,
            options="-c TimeZone=UTC -c DateStyle=ISO",
        )
    return _connection


def reset() -> None:
    """Drop a connection left mid-COPY by a client that went away."""
    global _connection
    if _connection is not None:
        _connection.close()
    _connection = None


class Problem(Exception):
    def __init__(self, status: int, detail: str, errors: dict | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or {}


STATUS = {200: "200 OK", 304: "304 Not Modified", 400: "400 Bad Request", 404: "404 Not Found"}
TITLES = {400: "Bad Request", 404: "Not Found"}


def application(environ, start_response):
    """Route a GET: the statements list (JSON, CSV, NDJSON), a statement, or /healthz."""
    path = environ.get("PATH_INFO", "")
    try:
        if path == "/healthz":
            return respond(start_response, 200, {"status": "ok", "database": "ok"})
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        params = {name: values[0] for name, values in query.items()}
        if match := DETAIL_PATH.match(path):
            return detail(environ, start_response, int(match[1]), params)
        if match := LIST_PATH.match(path):
            return listing(environ, start_response, params, match[1] or params.get("format"))
        raise Problem(404, "Not found.")
    except Problem as problem:
        body = {"type": "about:blank", "title": TITLES[problem.status], "status": problem.status,
                "detail": problem.detail, "errors": problem.errors}  # fmt: skip
        return respond(start_response, problem.status, body, "application/problem+json")


def respond(start_response, status: int, body, content_type="application/json", etag=None):
    content = orjson.dumps(body, option=orjson.OPT_UTC_Z)
    headers = [("Content-Type", content_type), ("Content-Length", str(len(content))),
               ("Vary", "Accept")]  # fmt: skip
    if etag:
        headers.append(("ETag", etag))
    start_response(STATUS[status], headers)
    return [content]


def base_url(environ) -> str:
    return f"{environ['wsgi.url_scheme']}://{environ.get('HTTP_HOST', 'localhost')}"


def version_etag(environ, media_type: str) -> str:
    """An ETag from the dataset's version and the request, as the API's streamed formats do."""
    with connection().cursor() as cursor:
        cursor.execute(VERSION)
        version = "|".join(str(value) for (value,) in cursor.fetchall())
    url = base_url(environ) + environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")
    key = f"{version} {url} {media_type}"
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


def not_modified(environ, start_response, etag: str):
    given = environ.get("HTTP_IF_NONE_MATCH", "")
    if etag in (tag.strip() for tag in given.split(",")):
        start_response(STATUS[304], [("ETag", etag)])
        return [b""]
    return None


def whole_number(params: dict, name: str) -> int | None:
    value = params.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise Problem(400, "Invalid input.", {name: [f"Must be a whole number from 1: {value!r}"]})
    return int(value)


def identifiers(cursor, params: dict, name: str, table: str, key: str) -> list[int] | None:
    """The ids of comma-separated codes or slugs; an unknown one is a 400 naming it."""
    value = params.get(name)
    if value is None:
        return None
    normalise = str.upper if key == "code" else str.lower
    wanted = list(dict.fromkeys(normalise(item.strip()) for item in value.split(",")))
    cursor.execute(f"SELECT id, {key} FROM {table} WHERE {key} = ANY(%s)", [wanted])
    found = {row[1]: row[0] for row in cursor.fetchall()}
    if unknown := [item for item in wanted if item not in found]:
        raise Problem(400, "Invalid input.", {name: [f"Unknown {name}: {', '.join(unknown)}."]})
    return list(found.values())


def conditions(cursor, params: dict) -> tuple[list[str], list]:
    """WHERE terms and their parameters for the list's filters: participant, topic, search."""
    where, args = [], []
    participants = identifiers(cursor, params, "participant", "api_participant", "code")
    if participants is not None:
        where.append("s.participant_id = ANY(%s)")
        args.append(participants)
    if (topics := identifiers(cursor, params, "topic", "api_topic", "slug")) is not None:
        where.append("EXISTS (SELECT 1 FROM api_statement_topics st "
                     "WHERE st.statement_id = s.id AND st.topic_id = ANY(%s))")  # fmt: skip
        args.append(topics)
    if words := params.get("search", "").split():
        where.append(SEARCH.format("%s"))
        args.append(" ".join(words))
    return where, args


def expansions(params: dict) -> set[str]:
    names = {name.strip() for name in params.get("expand", "").split(",") if name.strip()}
    if unknown := names - set(EXPANDABLE):
        raise Problem(400, "Invalid input.", {"expand": [f"Unknown: {', '.join(sorted(unknown))}"]})
    return names


def listing(environ, start_response, params: dict, format: str | None):
    if unknown := sorted(set(params) - LIST_PARAMETERS):
        allowed = [f"Unknown parameter. Allowed: {', '.join(sorted(LIST_PARAMETERS))}."]
        raise Problem(400, "Invalid input.", dict.fromkeys(unknown, allowed))
    if format not in (None, "json", *STREAMED):
        raise Problem(404, f"Unknown format: {format}.")
    expand = expansions(params)
    size = min(whole_number(params, "page_size") or 50, 1000)
    page = whole_number(params, "page") or 1
    media_type = STREAMED.get(format, "application/json")
    etag = version_etag(environ, media_type)
    if unchanged := not_modified(environ, start_response, etag):
        return unchanged
    with connection().cursor() as cursor:
        where, args = conditions(cursor, params)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        if format in STREAMED:
            return export(environ, start_response, format, clause, args, etag)
        cursor.execute(f"SELECT count(*) FROM api_statement s {clause}", args)
        (count,) = cursor.fetchone()
        if (page - 1) * size >= max(count, 1):
            raise Problem(404, f"Page {page} does not exist: that page contains no results")
        # The page's ids first, from the narrow rows alone; then their columns.
        cursor.execute(
            f"SELECT {COLUMNS} FROM (SELECT s.id FROM api_statement s {clause} {ORDER} "
            f"LIMIT %s OFFSET %s) page JOIN api_statement s ON s.id = page.id {JOINS} {ORDER}",
            [*args, size, (page - 1) * size],
        )
        rows = cursor.fetchall()
    base = base_url(environ)
    url = base + environ.get("PATH_INFO", "")

    def link(number: int) -> str:
        query = {name: [value] for name, value in params.items() if name != "page"}
        if number > 1:
            query["page"] = [str(number)]
        return f"{url}?{urlencode(sorted(query.items()), doseq=True)}"

    body = {
        "count": count,
        "next": link(page + 1) if page * size < count else None,
        "previous": link(page - 1) if page > 1 else None,
        "results": [statement(row, base, expand) for row in rows],
    }
    return respond(start_response, 200, body, etag=etag)


def detail(environ, start_response, pk: int, params: dict):
    if unknown := sorted(set(params) - {"expand", "fields", "format"}):
        raise Problem(400, "Invalid input.", {name: ["Unknown parameter."] for name in unknown})
    expand = expansions(params)
    etag = version_etag(environ, "application/json")
    if unchanged := not_modified(environ, start_response, etag):
        return unchanged
    with connection().cursor() as cursor:
        cursor.execute(f"SELECT {COLUMNS} FROM api_statement s {JOINS} WHERE s.id = %s", [pk])
        row = cursor.fetchone()
    if row is None:
        raise Problem(404, f"No statement has the id {pk}.")
    return respond(start_response, 200, statement(row, base_url(environ), expand), etag=etag)


def precise(day, precision) -> str:
    """A date no more precise than it is known: 9 October 2007, October 2007, 2007."""
    if day is None:
        return "undated"
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def statement(row: tuple, base: str, expand: set[str]) -> dict:
    """One statement as the API's StatementSerializer shapes it, references by identifier or
    (`expand`) in their brief form."""
    (pk, text, date, date_precision, speaker_description, speaker_role, language, confidence,
     note, created_at, updated_at, sp_slug, sp_name, o_slug, o_name, o_acronym, o_kind, p_code,
     p_name, p_kind, mt_slug, mt_title, mt_kind, mt_start, mt_precision, pr_slug, pr_title,
     pr_outcome, src_slug, src_title, src_publisher, src_published_on, src_precision, src_url,
     topics) = row  # fmt: skip
    api = f"{base}/api/v1"
    parts = [sp_name if sp_slug else speaker_description,
             f"“{src_title}”" if src_title else "", src_publisher,
             precise(src_published_on, src_precision), src_url]  # fmt: skip
    speaker, organisation, participant = sp_slug, o_slug, p_code
    meeting, proposal, source = mt_slug, pr_slug, src_slug
    if expand:
        if "speaker" in expand and sp_slug:
            speaker = {"slug": sp_slug, "name": sp_name, "url": f"{api}/people/{sp_slug}/"}
        if "organisation" in expand and o_slug:
            organisation = {"slug": o_slug, "name": o_name, "acronym": o_acronym, "kind": o_kind,
                            "url": f"{api}/organisations/{o_slug}/"}  # fmt: skip
        if "participant" in expand and p_code:
            participant = {"code": p_code, "name": p_name, "kind": p_kind,
                           "url": f"{api}/participants/{p_code}/"}  # fmt: skip
        if "meeting" in expand and mt_slug:
            meeting = {"slug": mt_slug, "title": mt_title, "kind": mt_kind,
                       "start_date": mt_start, "start_date_precision": mt_precision,
                       "url": f"{api}/meetings/{mt_slug}/"}  # fmt: skip
        if "proposal" in expand and pr_slug:
            proposal = {"slug": pr_slug, "title": pr_title, "outcome": pr_outcome,
                        "url": f"{api}/proposals/{pr_slug}/"}  # fmt: skip
        if "source" in expand:
            source = {"slug": src_slug, "title": src_title, "publisher": src_publisher,
                      "published_on": src_published_on, "published_on_precision": src_precision,
                      "url": src_url, "api_url": f"{api}/sources/{src_slug}/"}  # fmt: skip
    return {
        "id": pk, "url": f"{api}/statements/{pk}/", "text": text, "date": date,
        "date_precision": date_precision, "citation": ", ".join(part for part in parts if part),
        "speaker": speaker, "speaker_description": speaker_description,
        "speaker_role": speaker_role, "organisation": organisation, "participant": participant,
        "meeting": meeting, "proposal": proposal, "topics": topics, "language": language,
        "source": source, "confidence": confidence, "note": note, "created_at": created_at,
        "updated_at": updated_at,
    }  # fmt: skip


# --- CSV and NDJSON: every matching row, written by PostgreSQL's COPY and streamed as it comes --


def export(environ, start_response, format: str, clause: str, args: list, etag: str):
    query = export_query(format, base_url(environ), clause)
    start_response(STATUS[200], [
        ("Content-Type", STREAMED[format]), ("ETag", etag), ("Vary", "Accept"),
        ("Content-Disposition", f'attachment; filename="statements.{format}"'),
    ])  # fmt: skip
    return stream(query, args)


def stream(query: str, args: list):
    """COPY's output in blocks of 64 KiB; a client that leaves ends the COPY with the connection."""
    done = False
    try:
        with connection().cursor() as cursor, cursor.copy(query, args or None) as copy:
            buffer = bytearray()
            for data in copy:
                buffer += data
                if len(buffer) >= BLOCK:
                    yield bytes(buffer)
                    buffer.clear()
            if buffer:
                yield bytes(buffer)
        done = True
    finally:
        if not done:
            reset()
