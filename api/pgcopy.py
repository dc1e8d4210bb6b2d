"""Statement exports written by PostgreSQL's COPY: at a million rows, building each row in Python
costs several times what the database takes to write it.

The rows are the list's own query (its filters, search and order: `StatementListSerializer.read`),
and each column is its SQL twin in the statement's column table (api/columns.py), written as
`renderers.cell` writes it; the tests hold the two equal, byte for byte. What has no twin here
(`expand=`, another database, another time zone) is exported the usual way.
"""

from collections.abc import Iterator

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, OrderBy

from .columns import OWN, STATEMENT
from .renderers import BLOCK, BOM, FORMULA_STARTS
from .serializers import StatementListSerializer

# A COPY is one statement however long the download takes: the client's pace sets its length,
# not the database's. It is allowed longer than the usual statement timeout.
TIMEOUT_MS = 30 * 60 * 1000

# Text starting with one of these gets a leading quote in CSV (renderers.FORMULA_STARTS).
GUARDED = ", ".join(str(ord(start)) for start in FORMULA_STARTS)  # as ascii() reads them

# The topic slugs of the exported statements ({ids}), gathered by {gather} for all at once: a
# lookup per row would cost a million index scans; the planner reads few links for few rows.
TOPICS = """SELECT st.statement_id, {gather} AS slugs
    FROM api_statement_topics st JOIN api_topic t ON t.id = st.topic_id
    WHERE st.statement_id IN ({ids}) GROUP BY st.statement_id"""


def can_copy(queryset, names: list[str]) -> bool:
    """Whether these columns of this queryset can be written by COPY."""
    return (
        connections[queryset.db].vendor == "postgresql"
        and settings.TIME_ZONE == "UTC"
        and len(names) > 1  # Python's csv writes a lone empty cell as "", COPY as nothing
        and all(name in STATEMENT for name in names)
        and _order(queryset) is not None
    )


def _order(queryset) -> str | None:
    """The queryset's order as SQL over the row `r`, or None when it orders by anything but
    the statement's own columns (`backends.StrictOrderingFilter` makes no such order)."""
    query = queryset.query
    terms = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    order = []
    for term in terms:
        if isinstance(term, str):
            name, descending, nulls = term.removeprefix("-"), term.startswith("-"), ""
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            name, descending = term.expression.name, term.descending
            nulls = " NULLS LAST" if term.nulls_last else " NULLS FIRST" if term.nulls_first else ""
        else:
            return None
        name = "id" if name == "pk" else name
        if name not in OWN:
            return None
        order.append(f'r."{name}" {"DESC" if descending else "ASC"}{nulls}')
    return ", ".join(order) or "r.id"


def _csv_cell(name: str) -> str:
    """Column `name` of the row `c` as `renderers.cell` writes it: empty for null or empty
    text, a list joined with `;`, and text that a spreadsheet would run as a formula behind a
    quote."""
    cell = f'c."{name}"'
    if STATEMENT[name].plain:
        return cell
    guarded = f"CASE WHEN ascii({cell}) IN ({GUARDED}) THEN '''' || {cell} ELSE {cell} END"
    return f"NULLIF({guarded}, '')"


def blocks(queryset, names: list[str], format: str, base: str, bom: bool) -> Iterator[bytes]:
    """The rows of `queryset` as CSV (a header first, lines ending in CRLF) or NDJSON, in the
    blocks COPY sends."""
    unordered = queryset.order_by()
    inner, params = StatementListSerializer.read(unordered).query.sql_with_params()
    ids, ids_params = unordered.values("pk").query.sql_with_params()
    gather = {
        "csv": "string_agg(t.slug, ';' ORDER BY t.slug)",
        "ndjson": "array_agg(t.slug ORDER BY t.slug)",
    }[format]
    topics = {"csv": "tp.slugs", "ndjson": "coalesce(tp.slugs, '{}')"}[format]
    values = ", ".join(f'{STATEMENT[name].sql.format(topics=topics)} AS "{name}"' for name in names)
    # Ordered once all is joined; OFFSET 0 has each value computed once, not per mention.
    rows = (
        f"SELECT {values} FROM ({inner}) r "
        f"LEFT JOIN ({TOPICS.format(gather=gather, ids=ids)}) tp ON tp.statement_id = r.id "
        f"ORDER BY {_order(queryset)} OFFSET 0"
    )
    params = (base,) * names.count("url") + tuple(params) + tuple(ids_params)
    if format == "csv":
        cells = ", ".join(_csv_cell(name) for name in names)
        query = f"COPY (SELECT {cells} FROM ({rows}) c) TO STDOUT WITH (FORMAT csv)"
    else:  # a JSON object a line: CSV whose quote and delimiter JSON never holds raw
        query = (
            f"COPY (SELECT row_to_json(c)::text FROM ({rows}) c) "
            "TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
        )
    connection = connections[queryset.db]
    query = connection.ops.compose_sql(query, params)  # COPY takes no parameters: bound here
    with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL statement_timeout = {TIMEOUT_MS}")
        if format == "csv":
            yield ((BOM if bom else "") + ",".join(names) + "\r\n").encode()
            yield from _crlf(_copy(cursor, query))
        else:
            yield from _copy(cursor, query)


def _copy(cursor, query: str) -> Iterator[bytes]:
    """COPY's output in blocks of at least BLOCK bytes: it comes a row at a time, and a row
    sent on its own costs the server a write to the socket and a chunk header."""
    with cursor.copy(query) as copy:
        buffer = bytearray()
        for row in copy:
            buffer += row
            if len(buffer) >= BLOCK:
                yield bytes(buffer)
                buffer.clear()
        if buffer:
            yield bytes(buffer)


def _crlf(blocks: Iterator[bytes]) -> Iterator[bytes]:
    """COPY ends lines with LF, RFC 4180 with CRLF. A line feed ends a record only outside
    quotes, where the quotes seen so far are even in number: line breaks inside a value stay."""
    quoted = False
    for block in blocks:
        *ended, rest = block.split(b"\n")
        out = []
        for piece in ended:
            quoted ^= piece.count(b'"') % 2 == 1
            out.append(piece + (b"\n" if quoted else b"\r\n"))
        out.append(rest)
        quoted ^= rest.count(b'"') % 2 == 1
        yield b"".join(out)
