"""Errors that help: an unknown code or slug names the closest known ones (by identifier, name,
title or other code) and where the full list is; a bad choice lists the choices; an unknown
format lists the formats."""

import pytest

from api.filtersets.base import ChoiceListFilter, IdentifierFilter
from tests.collections import COLLECTIONS
from tests.helpers import API, problem
from tests.writes import BY_NAME, send

pytestmark = pytest.mark.django_db

# Every filter of every collection that takes codes or slugs.
IDENTIFIER_FILTERS = [
    pytest.param(c, name, id=f"{c}-{name}")
    for c in COLLECTIONS
    for name, filter_ in c.viewset.filterset_class.base_filters.items()
    if isinstance(filter_, IdentifierFilter)
]
CHOICE_FILTERS = [
    pytest.param(c, name, filter_, id=f"{c}-{name}")
    for c in COLLECTIONS
    for name, filter_ in c.viewset.filterset_class.base_filters.items()
    if isinstance(filter_, ChoiceListFilter)
]


def near_miss(model, key: str) -> tuple[str, str]:
    """(what a person might type, the identifier meant): a participant by its name, a record
    known by slug with its last letter lost."""
    if key == "code":
        record = model.objects.get(code="ZA")
        return record.name, "ZA"
    slug = model.objects.order_by("-" + key).values_list(key, flat=True).first()
    return slug[:-1], slug


@pytest.mark.parametrize(("collection", "name"), IDENTIFIER_FILTERS)
def test_a_near_miss_identifier_filter_names_the_one_meant(client, collection, name):
    filter_ = collection.viewset.filterset_class.base_filters[name]
    typed, meant = near_miss(filter_.extra["model"], filter_.key)
    body = problem(client.get(collection.path, {name: typed}), 400)
    (message,) = body["errors"][name]
    assert f"Did you mean {meant}" in message or f" or {meant}" in message, message


@pytest.mark.parametrize(("collection", "name", "filter_"), CHOICE_FILTERS)
def test_a_bad_choice_lists_the_choices(client, collection, name, filter_):
    body = problem(client.get(collection.path, {name: "no-such-choice"}), 400)
    choices = ", ".join(str(value) for value, _ in filter_.extra["choices"])
    assert body["errors"][name] == [f"Unknown value no-such-choice. Choose from: {choices}."]


def test_the_readme_s_example_topic_is_found_from_part_of_it(client):
    body = problem(client.get(f"{API}statements/", {"topic": "russia"}), 400)
    assert body["errors"]["topic"] == [
        "Unknown topic slug: russia. Did you mean russia-ukraine? "
        "Every one of the topics: /api/v1/topics/."
    ]


ACTORS = [("ZAF", "ZA"), ("south africa", "ZA"), ("cote d'ivoire", "CI"),
          ("wdc", "world-diamond-council")]  # fmt: skip


@pytest.mark.parametrize(("typed", "meant"), ACTORS)
def test_agreement_names_the_actor_meant_by_code_name_or_acronym(client, typed, meant):
    body = problem(client.get(f"{API}agreement/", {"actors": f"US,{typed}"}), 400)
    (message,) = body["errors"]["actors"]
    assert "Did you mean" in message and meant in message, message


def test_a_write_naming_an_unknown_reference_names_the_closest(editor):
    case = BY_NAME["blocs"]
    body = problem(send(editor, "POST", case.list, {**case.new, "members": ["CA", "ZAF"]}), 400)
    assert body["errors"]["members"] == [
        "Unknown participant code: ZAF. Did you mean ZA or TZ? "
        "Every one of the participants: /api/v1/participants/."
    ]


@pytest.mark.parametrize("path", [f"{API}statements/", f"{API}participants/ZA/"])
def test_an_unknown_format_is_a_404_that_lists_the_formats(client, path):
    body = problem(client.get(path, {"format": "xml"}), 404)
    assert body["detail"] == "Unknown format 'xml'. Formats: json, csv, ndjson."


NAMES = [("DRC", ["CD"]), ("UAE", ["AE"]), ("Ivory Coast", ["CI"]), ("cote d'ivoire", ["CI"]),
         ("UK", ["GB"]), ("turkey", ["TR"]), ("zim", ["ZW"]), ("congo", ["CD", "CG"])]  # fmt: skip


@pytest.mark.parametrize(("typed", "found"), NAMES)
def test_participants_are_found_by_the_names_people_use(client, typed, found):
    body = client.get(f"{API}participants/", {"search": typed}).json()
    assert [row["code"] for row in body["results"]] == found


def test_organisations_are_found_by_acronym_as_a_whole_word(client):
    body = client.get(f"{API}organisations/", {"search": "WDC"}).json()
    assert [row["slug"] for row in body["results"]] == ["world-diamond-council"]


def test_a_search_that_finds_no_one_is_an_empty_page(client):
    body = client.get(f"{API}participants/", {"search": "atlantis"}).json()
    assert (body["count"], body["results"]) == (0, [])
