"""The reference's SQL: a statement's columns and joins, the dataset version, and the COPYs."""

from psycopg import sql

# A CSV text cell starting with one of these (in SQL's E'' notation) gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\\t", "\\r")

# Every column a statement's JSON needs, its references' brief forms included.
COLUMNS = """s.id, s.text, s.date, s.date_precision, s.speaker_description, s.speaker_role,
    s.language, s.confidence, s.note, s.created_at, s.updated_at,
    sp.slug, sp.name, o.slug, o.name, o.acronym, o.kind, p.code, p.name, p.kind,
    mt.slug, mt.title, mt.kind, mt.start_date, mt.start_date_precision,
    pr.slug, pr.title, pr.outcome,
    src.slug, src.title, src.publisher, src.published_on, src.published_on_precision, src.url,
    ARRAY(SELECT t.slug FROM api_statement_topics st JOIN api_topic t ON t.id = st.topic_id
          WHERE st.statement_id = s.id ORDER BY t.slug)"""
JOINS = """LEFT JOIN api_person sp ON sp.id = s.speaker_id
    LEFT JOIN api_organisation o ON o.id = s.organisation_id
    LEFT JOIN api_participant p ON p.id = s.participant_id
    LEFT JOIN api_meeting mt ON mt.id = s.meeting_id
    LEFT JOIN api_proposal pr ON pr.id = s.proposal_id
    JOIN api_source src ON src.id = s.source_id"""
ORDER = "ORDER BY s.date ASC NULLS LAST, s.id"
SEARCH = "to_tsvector('english', coalesce(s.text, '')) @@ websearch_to_tsquery('english', {})"
# The dataset's version, read from indexes only: every row carries `updated_at`, and every
# deletion (and topic link change) adds a row to the history, api_change.
VERSIONED = ("api_statement", "api_person", "api_organisation", "api_participant", "api_meeting",
             "api_proposal", "api_source")  # fmt: skip
VERSION = " UNION ALL ".join(
    [f"(SELECT max(updated_at)::text FROM {table})" for table in VERSIONED]
    + ["(SELECT max(id)::text FROM api_change)"]
)


def _guard(expression: str) -> str:
    """A text cell that a spreadsheet would run as a formula gets a leading quote, as the API's
    CSV does; an empty one is an empty cell (COPY writes an empty string as "")."""
    starts = ", ".join(f"E'{c}'" for c in FORMULA_STARTS)
    return (f"NULLIF(CASE WHEN left({expression}, 1) IN ({starts}) "
            f"THEN '''' || {expression} ELSE {expression} END, '')")  # fmt: skip


def _moment(column: str) -> str:
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""


# The citation in SQL: speaker, “title”, publisher, date as precise as known, URL.
CITATION = """concat_ws(', ',
    NULLIF(coalesce(sp.name, s.speaker_description), ''),
    CASE WHEN src.title <> '' THEN '“' || src.title || '”' END,
    NULLIF(src.publisher, ''),
    CASE WHEN src.published_on IS NULL THEN 'undated'
         WHEN src.published_on_precision = 'year' THEN to_char(src.published_on, 'FMYYYY')
         WHEN src.published_on_precision = 'month'
              THEN to_char(src.published_on, 'FMMonth FMYYYY')
         ELSE to_char(src.published_on, 'FMDD FMMonth FMYYYY') END,
    NULLIF(src.url, ''))"""


def export_query(format: str, base: str, clause: str) -> str:
    """COPY of every matching statement: CSV with the API's columns, or one JSON object a line.

    Topics are gathered for all statements at once, in one pass over the links.
    """
    url = f"{sql.quote(base + '/api/v1/statements/')} || s.id || '/'"
    csv = format == "csv"
    gather = (
        "string_agg(t.slug, ';' ORDER BY t.slug)" if csv else "array_agg(t.slug ORDER BY t.slug)"
    )
    topics = (
        f"LEFT JOIN (SELECT st.statement_id, {gather} AS slugs FROM api_statement_topics st "
        "JOIN api_topic t ON t.id = st.topic_id GROUP BY st.statement_id) tp "
        "ON tp.statement_id = s.id"
    )
    text = _guard if csv else str
    columns = {
        "id": "s.id", "url": url, "text": text("s.text"), "date": "s.date",
        "date_precision": "s.date_precision", "citation": text(CITATION), "speaker": "sp.slug",
        "speaker_description": text("s.speaker_description"),
        "speaker_role": text("s.speaker_role"), "organisation": "o.slug",
        "participant": "p.code", "meeting": "mt.slug", "proposal": "pr.slug",
        "topics": "tp.slugs" if csv else "coalesce(tp.slugs, '{}')", "language": "s.language",
        "source": "src.slug", "confidence": "s.confidence", "note": text("s.note"),
        "created_at": _moment("s.created_at"), "updated_at": _moment("s.updated_at"),
    }  # fmt: skip
    select = ", ".join(f"{expression} AS {name}" for name, expression in columns.items())
    rows = f"SELECT {select} FROM api_statement s {JOINS} {topics} {clause} {ORDER}"
    if csv:
        return f"COPY ({rows}) TO STDOUT WITH (FORMAT csv, HEADER true)"
    # CSV with quote and delimiter characters that JSON never holds raw: each line as it is.
    return (f"COPY (SELECT row_to_json(r)::text FROM ({rows}) r) "
            "TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')")  # fmt: skip
