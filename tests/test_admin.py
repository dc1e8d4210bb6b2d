"""The admin is fit for an editor's daily work: every model lists, and a proposal is one form."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from api import models as m
from tests.helpers import problem

pytestmark = pytest.mark.django_db

EDITED = (m.Proposal, m.Position, m.Participant, m.Source, m.Topic, m.Meeting)


@pytest.fixture
def staff(client):
    """A staff member logged into the admin, who may view, add and change the edited models."""
    user = User.objects.create_user("editor", password="a long editor password", is_staff=True)
    codenames = [
        f"{action}_{model._meta.model_name}"
        for model in EDITED
        for action in ("view", "add", "change")
    ]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


def test_every_model_has_a_searchable_admin_list(admin_client):
    for model in apps.get_app_config("api").get_models():
        if model in (m.Actor, m.Version):
            continue  # plumbing of the history triggers and the dataset key, not data
        url = reverse(f"admin:api_{model._meta.model_name}_changelist")
        response = admin_client.get(url, {"q": "a"})
        assert response.status_code == 200, url


def test_an_editor_adds_a_proposal_with_its_positions_in_one_form(staff):
    url = reverse("admin:api_proposal_add")
    assert staff.get(url).status_code == 200
    source = m.Source.objects.get(
        url="https://www.jckonline.com/editorial-article/kimberley-process-no-longer-works/"
    )
    ru, by, us = (m.Participant.objects.get(code=code) for code in ("RU", "BY", "US"))
    form = {
        "slug": "2026-test-agenda-item",
        "title": "An agenda item on a test",
        "summary": "",
        "decision_rule": "consensus",
        "outcome": "no_consensus",
        "confidence": "single_source",
        "note": "",
        "sources": [source.pk],
        "tabled_by": [us.pk],
        "positions-TOTAL_FORMS": "3",
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "1000",
    }
    for index, (participant, position) in enumerate(
        [(us, "support"), (ru, "oppose"), (by, "oppose")]
    ):
        form |= {
            f"positions-{index}-participant": participant.pk,
            f"positions-{index}-position": position,
            f"positions-{index}-confidence": "single_source",
            f"positions-{index}-sources": [source.pk],
        }
    response = staff.post(url, form)
    assert response.status_code == 302, (
        response.context["adminform"].errors if response.context else response
    )
    proposal = m.Proposal.objects.get(slug="2026-test-agenda-item")
    assert dict(proposal.positions.values_list("participant__code", "position")) == {
        "US": "support", "RU": "oppose", "BY": "oppose",
    }  # fmt: skip


def test_a_public_identifier_cannot_be_changed_in_the_admin(admin_client):
    proposal = m.Proposal.objects.get(slug="2022-kasane-russia-agenda-item")
    page = admin_client.get(reverse("admin:api_proposal_change", args=[proposal.pk]))
    assert page.status_code == 200
    assert 'name="slug"' not in page.content.decode()


def test_the_admin_needs_a_login(client):
    response = client.get(reverse("admin:api_proposal_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def login(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_failed_logins_are_limited_per_account_and_per_address(client):
    User.objects.create_user("keeper", password="the right long password", is_staff=True)
    User.objects.create_user("other", password="another long password", is_staff=True)
    for _ in range(4):
        assert login(client, "keeper", "guess").status_code == 200  # the form again, an error
    problem(login(client, "keeper", "guess"), 429)  # the fifth failure locks
    locked = login(client, "keeper", "the right long password", "198.51.100.1")
    problem(locked, 429)
    assert int(locked["Retry-After"]) == 15 * 60  # the account, from any address
    locked = login(client, "other", "another long password")
    problem(locked, 429)  # and any account from the address that failed
    assert login(client, "other", "another long password", "198.51.100.2").status_code == 302


def test_a_good_login_before_the_limit_starts_the_count_afresh(client):
    User.objects.create_user("keeper", password="the right long password", is_staff=True)
    for _ in range(4):
        login(client, "keeper", "guess")
    assert login(client, "keeper", "the right long password").status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "keeper", "guess").status_code == 200


def test_api_requests_pass_by_the_sites_session_user_and_messages(client, admin_client):
    answer = client.get("/api/v1/")
    assert answer.status_code == 200
    made = {name for name in ("session", "_messages") if hasattr(answer.wsgi_request, name)}
    assert made == set()
    assert not answer.wsgi_request.user.is_authenticated  # DRF's, from the token: none
    page = admin_client.get("/admin/")
    assert page.status_code == 200 and page.wsgi_request.user.is_staff
    assert hasattr(page.wsgi_request, "_messages") and page.wsgi_request.session.session_key
