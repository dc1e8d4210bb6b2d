"""What every answer of the reference shares: its connection, errors, JSON, ETags and pages."""

# bench/reference.py (statements) and bench/reference_positions.py (stands) answer with these.

import hashlib
import os
from urllib.parse import urlencode

import orjson
import psycopg

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


def problem(start_response, problem: Problem):
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


def version_etag(environ, media_type: str, version: str) -> str:
    """An ETag from the dataset's version (the `version` query: one value a row) and the
    request, as the API's answers have."""
    with connection().cursor() as cursor:
        cursor.execute(version)
        found = "|".join(str(value) for (value,) in cursor.fetchall())
    url = base_url(environ) + environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")
    key = f"{found} {url} {media_type}"
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


def not_modified(environ, start_response, etag: str):
    given = environ.get("HTTP_IF_NONE_MATCH", "")
    if etag in (tag.strip() for tag in given.split(",")):
        start_response(STATUS[304], [("ETag", etag)])
        return [b""]
    return None


def unknown_parameters(params: dict, allowed: set[str]) -> None:
    if unknown := sorted(set(params) - allowed):
        message = [f"Unknown parameter. Allowed: {', '.join(sorted(allowed))}."]
        raise Problem(400, "Invalid input.", dict.fromkeys(unknown, message))


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


def page_size(params: dict) -> tuple[int, int]:
    """(page, size) of a list: pages of 50 by default, of 1,000 at most."""
    return whole_number(params, "page") or 1, min(whole_number(params, "page_size") or 50, 1000)


def page(environ, params: dict, rows: list, count: int, number: int, size: int) -> dict:
    """A page of a list, with links to the pages beside it as the API writes them."""
    url = base_url(environ) + environ.get("PATH_INFO", "")

    def link(number: int) -> str:
        query = {name: [value] for name, value in params.items() if name != "page"}
        if number > 1:
            query["page"] = [str(number)]
        return f"{url}?{urlencode(sorted(query.items()), doseq=True)}"

    return {
        "count": count,
        "next": link(number + 1) if number * size < count else None,
        "previous": link(number - 1) if number > 1 else None,
        "results": rows,
    }
