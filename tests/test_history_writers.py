"""Changes made outside the API are kept too: by the loader, a bulk update, raw SQL, the admin."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from api import history
from api import models as m
from tests.helpers import ADMISSIONS, API, JCK, KASANE, STALEMATE, versions

pytestmark = pytest.mark.django_db


def test_every_reference_record_has_its_history_signed_by_the_loader(client):
    for model, (collection, key) in history.COLLECTIONS.items():
        identifiers = {str(value) for value in model.objects.values_list(key, flat=True)}
        created = m.Change.objects.filter(collection=collection, part="record", action="insert")
        assert set(created.values_list("record_id", flat=True)) >= identifiers, collection
    assert set(m.Change.objects.values_list("actor", flat=True)) == {"command:load_reference"}
    assert not m.Change.objects.filter(record_id="?").exists()
    found = versions(client, f"{API}meetings/{KASANE}/")
    assert len(found) == 1 and found[0]["action"] == "create"
    assert (found[0]["by"], found[0]["via"]) == ("load_reference", "command")


def test_a_figures_reports_show_as_its_reports_part(client):
    figure = m.Production.objects.filter(reports__isnull=False).order_by("pk").first()
    (created,) = versions(client, f"{API}production/{figure.pk}/")
    reports = created["parts"]["reports"]["added"]
    assert len(reports) == figure.reports.count()
    assert {report["source"] for report in reports} == set(
        figure.reports.values_list("source__slug", flat=True)
    )
    assert not any(key in report for report in reports for key in ("production", "trade", "id"))


def test_a_bulk_update_is_kept_in_the_history(client):
    path = f"{API}meetings/{KASANE}/"
    old = client.get(path).json()["outcome"]
    m.Meeting.objects.filter(slug=KASANE).update(outcome="Changed by a bulk update")
    last = versions(client, path)[-1]
    assert (last["action"], last["by"], last["via"]) == ("update", None, "database")
    assert last["fields"] == {"outcome": {"old": old, "new": "Changed by a bulk update"}}


def test_a_bulk_delete_of_parts_is_kept_in_the_records_history(client):
    path = f"{API}proposals/{ADMISSIONS}/"
    count = len(client.get(path).json()["positions"])
    m.Position.objects.filter(proposal__slug=ADMISSIONS).delete()
    last = versions(client, path)[-1]
    assert len(last["parts"]["positions"]["removed"]) == count
    assert (last["action"], last["via"]) == ("update", "database")


def test_raw_sql_is_kept_in_the_history(client):
    path = f"{API}sources/{JCK}/"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE api_source SET title = %s WHERE slug = %s", ["Raw title", JCK])
    last = versions(client, path)[-1]
    assert (last["action"], last["by"], last["via"]) == ("update", None, "database")
    assert list(last["fields"]) == ["title"]
    assert last["fields"]["title"]["new"] == "Raw title"
    assert (
        last["fields"]["title"]["old"]
        == m.Change.objects.filter(collection="sources", record_id=JCK, action="insert")
        .get()
        .new["title"]
    )


def test_raw_sql_inserting_a_part_is_kept_in_the_records_history(client):
    proposal = m.Proposal.objects.get(slug=ADMISSIONS)
    source = m.Source.objects.get(slug=STALEMATE)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO api_proposal_sources (proposal_id, source_id) VALUES (%s, %s)",
            [proposal.pk, source.pk],
        )
    last = versions(client, f"{API}proposals/{ADMISSIONS}/")[-1]
    assert (last["action"], last["via"]) == ("update", "database")
    assert STALEMATE in last["fields"]["sources"]["new"]
    assert STALEMATE not in last["fields"]["sources"]["old"]


def admin_form(response) -> dict:
    """The POST data of an admin change form as rendered, inlines included."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {
            management.add_prefix(name): management[name].value() for name in management.fields
        }
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value
    return data


@pytest.fixture
def carol(client):
    """An admin user logged into the admin."""
    user = get_user_model().objects.create_superuser("carol", password="a long admin password")
    m.EditorName.objects.create(user=user, name="Carol Admin")
    client.force_login(user)
    return client


def test_a_change_made_in_the_admin_is_signed_with_the_admins_name(client, carol):
    meeting = m.Meeting.objects.get(slug=KASANE)
    url = reverse("admin:api_meeting_change", args=[meeting.pk])
    form = admin_form(client.get(url))
    form["outcome"] = "Changed in the admin"
    response = client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].errors
    assert m.Meeting.objects.get(slug=KASANE).outcome == "Changed in the admin"
    last = versions(client, f"{API}meetings/{KASANE}/")[-1]
    assert (last["action"], last["by"], last["via"]) == ("update", "Carol Admin", "admin")
    assert last["fields"]["outcome"] == {"old": meeting.outcome, "new": "Changed in the admin"}
    assert "carol" not in json.dumps(last)


def test_a_deletion_made_in_the_admin_is_signed_with_the_admins_name(client, carol):
    proposal = m.Proposal.objects.get(slug=ADMISSIONS)
    url = reverse("admin:api_proposal_delete", args=[proposal.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    found = versions(client, f"{API}proposals/{ADMISSIONS}/")
    assert (found[-1]["action"], found[-1]["by"], found[-1]["via"]) == (
        "delete", "Carol Admin", "admin",
    )  # fmt: skip


def test_a_change_to_positions_in_the_admins_proposal_form_is_signed_with_the_admins_name(
    client, carol
):
    proposal = m.Proposal.objects.get(slug=ADMISSIONS)
    url = reverse("admin:api_proposal_change", args=[proposal.pk])
    form = admin_form(client.get(url))
    position = proposal.positions.order_by("participant__code").first()
    (prefix,) = [
        k[: -len("-id")] for k, v in form.items() if k.endswith("-id") and v == position.pk
    ]
    form[f"{prefix}-position"] = "abstain"
    response = client.post(url, form)
    assert response.status_code == 302, response.context and response.context["errors"]
    last = versions(client, f"{API}proposals/{ADMISSIONS}/")[-1]
    assert (last["action"], last["by"], last["fields"]) == ("update", "Carol Admin", {})
    (changed,) = last["parts"]["positions"]["changed"]
    assert changed["old"]["participant"] == position.participant.code
    assert changed["old"]["position"] == position.position
    assert changed["new"]["position"] == "abstain"


SOURCE_FORM = {
    "slug": "admin-test-source",
    "url": "https://example.org/admin-test-source",
    "kind": "report",
    "title": "A source added in the admin",
    "publisher": "",
    "author": "",
    "confidence": "single_source",
    "note": "",
}


def test_the_admin_does_not_give_a_deleted_records_identifier_to_a_new_record(client, carol):
    add = reverse("admin:api_source_add")
    assert client.post(add, SOURCE_FORM).status_code == 302
    source = m.Source.objects.get(slug="admin-test-source")
    delete = reverse("admin:api_source_delete", args=[source.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    again = {**SOURCE_FORM, "url": "https://example.org/another-page"}
    response = client.post(add, again)
    assert not m.Source.objects.filter(slug="admin-test-source").exists()
    assert response.status_code == 200  # the form again, saying why
    found = versions(client, f"{API}sources/admin-test-source/")
    assert [(e["action"], e["by"], e["via"]) for e in found] == [
        ("create", "Carol Admin", "admin"),
        ("delete", "Carol Admin", "admin"),
    ]
