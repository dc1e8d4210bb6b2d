"""What every collection does alike, tested once for each collection of the router
(tests/collections.py): what it refuses and how it says so, identifiers in any case,
updated_since and confidence, ETags and 304s, files' names and a list's query count."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.collections import (
    BY_NAME,
    CONTRACT,
    EXPANDED_APART,
    FACTS,
    NAMES,
    PAGED_BY_HAND,
    Collection,
    each,
)
from tests.helpers import SERVER, address, problem, revalidate

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# Names that collections' tests have tried as parameters, fields, orderings or expansions; each
# is refused wherever the collection does not serve a field of that name.
UNKNOWN = ("population", "countries", "members", "organisation", "role", "president", "venue",
           "votes", "colour", "tonnes", "weight", "participants", "supporters", "audience",
           "people", "mine", "hostess", "price", "volume", "nonsense")  # fmt: skip
NOTHING = {"updated_since": "2999-01-01T00:00:00Z"}  # a filter that no record passes
# What every list takes besides its filters.
SHAPING = {"bom", "expand", "fields", "format", "ordering", "page", "page_size"}
MALFORMED_MOMENTS = ("yesterday", "last tuesday", "soon", "not-a-moment", "2021", "2099-99-99",
                     "2026-02-30", "2024-13-01T00:00:00Z", "2099-01-01T25:00:00Z", "",
                     "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-23:59")  # fmt: skip
UNKNOWN_GRADES = ("certain", "sure", "single", "high", "likely", "probable", "V", "VERIFIED!",
                  "verified,sure")  # fmt: skip
ODD_SEARCHES = ('"unbalanced', "!!", ":*", "a & b | c", "-", "or", "the", "(", "\\", "%_")


def listed(client, collection: Collection, **params) -> list[dict]:
    """Every record a list request returns, from a page big enough for all of them."""
    response = client.get(collection.path, {"page_size": 1000, **params})
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["count"] == len(body["results"])
    return body["results"]


def page(client, collection: Collection, **params) -> list[dict]:
    """The records of one page of a list request."""
    response = client.get(collection.path, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def first(client, collection: Collection) -> dict:
    """The first record of the collection's plain list, as a list serves it."""
    return page(client, collection, page_size=1)[0]


def shaped(collection: Collection, record: dict) -> list[tuple[str, dict]]:
    """Where a shaping parameter is weighed: a list, a list that nothing passes, a detail."""
    return [(collection.path, {}), (collection.path, NOTHING), (address(record), {})]


def message(body: dict, name: str) -> str:
    (text,) = body["errors"][name]
    return text


def named(text: str, label: str) -> list[str]:
    """The comma-separated names a message gives after `label`, up to its full stop."""
    return text.split(label, 1)[1].rsplit(".", 1)[0].split(", ")


def allowed(client, collection: Collection) -> list[str]:
    """The parameters a list takes, as its answer to a misspelt one lists them."""
    body = problem(client.get(collection.path, {"partcipant": "US"}), 400, "partcipant")
    return named(message(body, "partcipant"), "Unknown parameter. Allowed: ")


def test_the_tests_know_every_collection_of_the_contract_and_nothing_else():
    assert NAMES == CONTRACT
    assert set(FACTS) == set(NAMES)


# --- unknown and bad parameters ---------------------------------------------------------------


@each()
def test_an_unknown_parameter_is_a_400_listing_the_allowed_ones(client, collection):
    for misspelt in ("partcipant", *collection.facts.misspelt):
        body = problem(client.get(collection.path, {misspelt: "US"}), 400, misspelt)
        text = message(body, misspelt)
        assert text.startswith("Unknown parameter. Allowed: "), text
        names = named(text, "Allowed: ")
        assert names == sorted(names) and misspelt not in names
        assert SHAPING | {"updated_since"} | set(collection.filters) <= set(names)
        assert ("confidence" in names) == collection.facts.graded


@each()
def test_a_nul_byte_in_any_parameter_is_a_400_not_a_500(client, collection):
    body = problem(client.get(collection.path, {"updated_since": "2024\x00"}), 400)
    assert body["errors"] == {"updated_since": ["Must not contain NUL characters."]}


@each()
def test_a_detail_takes_only_shaping_parameters(client, collection):
    record = address(first(client, collection))
    for name, value in (("updated_since", "2024-01-01"), ("page", "2"), ("partcipant", "US")):
        body = problem(client.get(record, {name: value}), 400, name)
        assert body["errors"][name] == ["Unknown parameter. Allowed: bom, expand, fields, format."]


# --- identifiers ------------------------------------------------------------------------------


@each()
def test_an_unknown_identifier_is_a_404_problem_that_names_it(client, collection):
    for identifier in collection.facts.unknown:
        body = problem(client.get(f"{collection.path}{identifier}/"), 404)
        noun = collection.model._meta.verbose_name
        assert body["detail"] == f"No {noun} has the {collection.key} {identifier}."
    for address_of_nothing in collection.facts.malformed:
        problem(client.get(f"{collection.path}{address_of_nothing}/"), 404)


@each(having="other_case")
def test_an_identifier_is_read_in_any_case_and_served_in_one(client, collection):
    for asked, served in collection.facts.other_case:
        response = client.get(f"{collection.path}{asked}/")
        assert response.status_code == 200, response.content[:300]
        assert response.json()[collection.key] == served
        assert address(response.json()) == f"{SERVER}/{collection.name}/{served}/"


# --- ordering, fields and expand --------------------------------------------------------------


@each()
def test_every_ordering_field_orders_both_ways_and_nothing_else_does(client, collection):
    fields = collection.ordering_fields
    for name in fields:
        for ordering in (name, f"-{name}"):
            assert client.get(collection.path, {"ordering": ordering}).status_code == 200
    served = set(first(client, collection))
    orderings = [
        ",".join(f"-{name}" for name in UNKNOWN),  # unknown names
        ",".join(sorted(served - set(fields))),  # fields served but not ordered by
        f"--{fields[0]}",  # a doubled minus
        f"-{fields[0]},--{fields[0]}",
        "-",
        f"{fields[0]},-nonsense",  # one good, one not
    ]
    for ordering in orderings:
        body = problem(client.get(collection.path, {"ordering": ordering}), 400, "ordering")
        text = message(body, "ordering")
        wrong = [term for term in ordering.split(",") if term.removeprefix("-") not in fields]
        assert text.removeprefix("Unknown: ").split(". Order by: ")[0].split(", ") == wrong, text
        assert text.endswith(f"Order by: {', '.join(fields)} (prefix - to reverse)."), text


@each()
def test_fields_serves_only_the_fields_asked_for_and_refuses_unknown_ones(client, collection):
    record = first(client, collection)
    served = list(record)
    asked = [served[0], served[-1]]
    for item in page(client, collection, fields=",".join(asked), page_size=20):
        assert list(item) == asked
    detail = client.get(address(record), {"fields": ",".join(asked)})
    assert list(detail.json()) == asked
    unknown = [name for name in UNKNOWN if name not in served]
    for path, nothing_matches in shaped(collection, record):
        query = {"fields": ",".join([served[0], *unknown]), **nothing_matches}
        text = message(problem(client.get(path, query), 400, "fields"), "fields")
        assert text == f"Unknown: {', '.join(unknown)}. Choose from: {', '.join(sorted(served))}."


@each()
def test_expand_takes_the_references_and_refuses_any_other_name(client, collection):
    record = first(client, collection)
    expandable = collection.facts.expand
    choices = ", ".join(sorted(expandable)) if expandable else "none here"
    others = sorted(set(record) - set(expandable)) + [n for n in UNKNOWN if n not in record]
    for path, nothing_matches in shaped(collection, record):
        query = {"expand": ",".join([*expandable, *others]), **nothing_matches}
        text = message(problem(client.get(path, query), 400, "expand"), "expand")
        assert text == f"Unknown: {', '.join(others)}. Choose from: {choices}.", text
    if expandable:
        everything = ",".join(expandable)
        for item in page(client, collection, expand=everything, page_size=20):
            for name in expandable:
                briefs = item[name] if isinstance(item[name], list) else [item[name]]
                assert all(brief is None or address(brief).startswith(SERVER) for brief in briefs)
        assert client.get(address(record), {"expand": everything}).status_code == 200


@each(having="expand")
def test_naming_a_field_twice_in_expand_is_never_a_server_error(client, collection):
    client.raise_request_exception = False  # see what a user would get
    name = collection.facts.expand[0]
    response = client.get(collection.path, {"expand": f"{name},{name}", "fields": name})
    if response.status_code == 400:
        problem(response, 400, "expand")
    else:
        assert response.status_code == 200, response.content[:300]
        once = client.get(collection.path, {"expand": name, "fields": name})
        assert response.json()["results"] == once.json()["results"]


# --- updated_since and confidence -------------------------------------------------------------

CHANGED = datetime.datetime(2024, 6, 2, tzinfo=UTC)  # one record's last change; the rest: 2020
SINCE = [  # (updated_since, whether the record changed then is listed)
    ("2023-06-01T00:00:00Z", True),
    ("2024-06-02T00:00:00Z", True),  # the very moment
    ("2024-06-02T00:00:01Z", False),
    ("2024-06-02T01:30:00+02:00", True),  # 23:30 UTC the evening before
    ("2024-06-01T23:30:00-01:00", False),  # 00:30 UTC: after the change
    ("2024-06-01T00:00:00-20:00", True),  # 20:00 UTC on 1 June
    ("2024-06-02T20:00:00+20:00", True),  # midnight UTC: the very moment
    ("2024-06-02T00:00:00-00:01", False),
]


@each()
def test_updated_since_keeps_what_changed_at_or_after_the_moment_read_in_utc(client, collection):
    record = first(client, collection)
    every = len(listed(client, collection, fields=collection.key))
    rows = collection.model.objects
    rows.update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=UTC))
    rows.filter(**{collection.lookup: record[collection.key]}).update(updated_at=CHANGED)

    def keys(since: str) -> list:
        found = listed(client, collection, updated_since=since, fields=collection.key)
        return [item[collection.key] for item in found]

    for since, kept in SINCE:
        assert keys(since) == ([record[collection.key]] if kept else []), since
    assert len(keys("2019-12-31T00:00:00Z")) == every
    # Saving a record stamps it anew.
    since = timezone.now()
    saved = rows.get(**{collection.lookup: record[collection.key]})
    saved.save()
    assert keys(since.isoformat()) == [record[collection.key]]


@each()
def test_an_updated_since_that_is_not_a_moment_is_a_400_naming_it(client, collection):
    for value in MALFORMED_MOMENTS:
        problem(client.get(collection.path, {"updated_since": value}), 400, "updated_since")


@each(having="graded")
def test_confidence_keeps_only_the_grades_asked_for_and_refuses_others(client, collection):
    every = {item[collection.key] for item in listed(client, collection, fields=collection.key)}
    found = {}
    for grade in ("verified", "single_source", "uncertain"):
        graded = listed(client, collection, confidence=grade, fields=f"{collection.key},confidence")
        assert {item["confidence"] for item in graded} <= {grade}
        found[grade] = {item[collection.key] for item in graded}
    assert set().union(*found.values()) == every
    assert sum(len(keys) for keys in found.values()) == len(every)
    both = listed(client, collection, confidence="verified,uncertain", fields=collection.key)
    assert {item[collection.key] for item in both} == found["verified"] | found["uncertain"]
    for value in (*UNKNOWN_GRADES, ","):
        problem(client.get(collection.path, {"confidence": value}), 400, "confidence")


# --- search -----------------------------------------------------------------------------------


@each()
def test_search_takes_any_words_up_to_twenty_where_a_collection_has_search(client, collection):
    if "search" not in allowed(client, collection):
        problem(client.get(collection.path, {"search": "diamonds"}), 400, "search")
        return
    every = client.get(collection.path).json()["count"]
    for terms in ODD_SEARCHES:
        response = client.get(collection.path, {"search": terms})
        assert response.status_code == 200, (terms, response.content[:300])
        assert response.json()["count"] <= every
    terms = " ".join(["a"] * 1000)  # 1999 characters: within the 2000 a parameter may have
    problem(client.get(collection.path, {"search": terms}), 400, "search")


# --- ETags, files and queries -----------------------------------------------------------------


@each()
def test_lists_and_details_carry_an_etag_and_answer_304_when_unchanged(client, collection):
    for path in (collection.path, address(first(client, collection))):
        etag, again = revalidate(client, path)
        assert re.fullmatch(r'(W/)?"[0-9a-f]+"', etag)
        assert again.status_code == 304 and again.content == b""
        assert client.get(path, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


@each()
def test_the_etag_changes_when_the_record_changes(client, collection):
    record = first(client, collection)
    paths = (collection.path, address(record))
    etags = [client.get(path)["ETag"] for path in paths]
    saved = collection.model.objects.get(**{collection.lookup: record[collection.key]})
    if collection.facts.graded:
        saved.note += " Checked again."
    else:
        saved.description += " Checked again."
    saved.save()
    for path, etag in zip(paths, etags, strict=True):
        response = client.get(path, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200 and response["ETag"] != etag


@each()
def test_a_file_is_named_after_the_collection_and_the_day(client, collection):
    today = datetime.date.today().isoformat()
    for format in ("csv", "ndjson"):
        response = client.get(f"{collection.path.rstrip('/')}.{format}")
        assert response.status_code == 200
        b"".join(response.streaming_content)
        expected = f'attachment; filename="{collection.name}-{today}.{format}"'
        assert response["Content-Disposition"] == expected


@each()
def test_a_list_costs_the_same_queries_whatever_its_page_size_or_expand(client, collection):
    # On the reference data; tests/test_queries.py counts them exactly with 200 rows and more.
    everything = collection.facts.everything[0]
    asked = [{"page_size": 20}, {"page_size": 100}]
    if collection.facts.expand:
        asked.append({"page_size": 100, "expand": ",".join(collection.facts.expand)})
    counted = []
    for params in asked:
        for kept in caches.all():
            kept.clear()  # each request counts and finds its rows anew
        with CaptureQueriesContext(connection) as captured:
            response = client.get(collection.path, {**everything, **params})
        assert response.status_code == 200, response.content[:300]
        counted.append(len(captured))
    if collection.facts.expand:
        counted[-1] -= EXPANDED_APART.get(collection.name, 0)
        counted[-1] -= collection.name in PAGED_BY_HAND  # its keys, before its rows
    assert len(set(counted)) == 1, counted


def test_the_contract_in_the_repository_names_every_collection_by_its_address():
    contract = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    rows = dict(re.findall(r"^\| ([a-z-]+) \| `/api/v1/([a-z-]+/\{[a-z]+\})/` \|", contract, re.M))
    for collection in (BY_NAME[name] for name in CONTRACT):
        assert rows.get(collection.name) == f"{collection.name}/{{{collection.key}}}", collection
