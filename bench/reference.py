"""The benchmarks' reference: the statements API by hand, in WSGI with psycopg 3 and orjson."""

# What `make bench` holds the API to: the same requests, answered with bodies of the same shape
# (see api/serializers/statements.py) by the plainest fast code, with no framework. Served by
# gunicorn with the API's own gunicorn.conf.py: `gunicorn --config gunicorn.conf.py
# bench.reference:application`, DATABASE_URL naming the benchmark database. Positions, records
# and agreement are answered by bench/reference_positions.py; what both modules share is in
# bench/reference_web.py.

import re
from urllib.parse import parse_qs

from bench import reference_positions
from bench.reference_sql import COLUMNS, JOINS, ORDER, SEARCH, VERSION, export_query
from bench.reference_web import (
    STATUS,
    Problem,
    base_url,
    connection,
    identifiers,
    not_modified,
    page,
    page_size,
    problem,
    reset,
    respond,
    unknown_parameters,
    version_etag,
)

LIST_PATH = re.compile(r"^/api/v1/statements(?:/|\.(csv|ndjson))$")
DETAIL_PATH = re.compile(r"^/api/v1/statements/([0-9]{1,18})/$")
LIST_PARAMETERS = {"page", "page_size", "participant", "topic", "search", "format", "expand"}
EXPANDABLE = ("speaker", "organisation", "participant", "meeting", "proposal", "source")
STREAMED = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson; charset=utf-8"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
BLOCK = 64 * 1024


def application(environ, start_response):
    """Route a GET: the statements list (JSON, CSV, NDJSON), a statement, the positions and
    their records and agreement (bench/reference_positions.py), or /healthz."""
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
        if answer := reference_positions.route(environ, start_response, path, params):
            return answer
        raise Problem(404, "Not found.")
    except Problem as found:
        return problem(start_response, found)


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
    unknown_parameters(params, LIST_PARAMETERS)
    if format not in (None, "json", *STREAMED):
        raise Problem(404, f"Unknown format: {format}.")
    expand = expansions(params)
    number, size = page_size(params)
    media_type = STREAMED.get(format, "application/json")
    etag = version_etag(environ, media_type, VERSION)
    if unchanged := not_modified(environ, start_response, etag):
        return unchanged
    with connection().cursor() as cursor:
        where, args = conditions(cursor, params)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        if format in STREAMED:
            return export(environ, start_response, format, clause, args, etag)
        cursor.execute(f"SELECT count(*) FROM api_statement s {clause}", args)
        (count,) = cursor.fetchone()
        if (number - 1) * size >= max(count, 1):
            raise Problem(404, f"Page {number} does not exist: that page contains no results")
        # The page's ids first, from the narrow rows alone; then their columns.
        cursor.execute(
            f"SELECT {COLUMNS} FROM (SELECT s.id FROM api_statement s {clause} {ORDER} "
            f"LIMIT %s OFFSET %s) page JOIN api_statement s ON s.id = page.id {JOINS} {ORDER}",
            [*args, size, (number - 1) * size],
        )
        rows = cursor.fetchall()
    base = base_url(environ)
    results = [statement(row, base, expand) for row in rows]
    return respond(start_response, 200, page(environ, params, results, count, number, size),
                   etag=etag)  # fmt: skip


def detail(environ, start_response, pk: int, params: dict):
    if unknown := sorted(set(params) - {"expand", "fields", "format"}):
        raise Problem(400, "Invalid input.", {name: ["Unknown parameter."] for name in unknown})
    expand = expansions(params)
    etag = version_etag(environ, "application/json", VERSION)
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
