"""If-Match guards every change: only the current ETag, or `*` alone, lets a write through."""

import contextlib

import pytest

from api import models as m
from api.conditional import content_etag
from api.editing import Editable
from tests.writes import send

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("given", ['"bogus*"', '*"', '"abc", "x*y"'])
def test_a_tag_that_only_contains_a_star_is_a_stale_tag(editor, given):
    stand = m.Position.objects.get(proposal__slug="2022-kasane-russia-agenda-item",
                                   participant__code="RU")  # fmt: skip
    response = send(editor, "PATCH", f"/api/v1/positions/{stand.pk}/", {"note": "x"}, given)
    assert response.status_code == 412, response.content
    stand.refresh_from_db()
    assert stand.note != "x"


def test_a_star_alone_matches_any_version(editor):
    stand = m.Position.objects.get(proposal__slug="2022-kasane-russia-agenda-item",
                                   participant__code="RU")  # fmt: skip
    response = send(editor, "PATCH", f"/api/v1/positions/{stand.pk}/", {"note": "x"}, "*")
    assert response.status_code == 200, response.content


@pytest.fixture
def another_writer_right_after(monkeypatch):
    """Another editor's write lands the moment a write's transaction ends: it changes `slug`'s
    meeting note to "theirs", as a write that came after would."""

    def arm(slug: str):
        writing = Editable.writing

        @contextlib.contextmanager
        def then_theirs(self):
            with writing(self):
                yield
            m.Meeting.objects.filter(slug=slug).update(note="theirs")

        monkeypatch.setattr(Editable, "writing", then_theirs)

    return arm


def test_a_writes_answer_is_the_version_it_made_though_another_follows_at_once(
    alice, client, another_writer_right_after
):
    """The answer and its ETag are the version the write made, read in its transaction: one read
    after the commit could hold the next writer's version, so that the writer would be told its
    own change had made a version it never made, and its next If-Match would skip a link."""
    path = "/api/v1/meetings/2022-intersessional-kasane/"
    another_writer_right_after("2022-intersessional-kasane")
    answer = alice.patch(path, {"note": "mine"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["note"] == "mine"
    assert answer["ETag"] == content_etag(answer.json())
    now = client.get(path)
    assert now.json()["note"] == "theirs"
    assert now["ETag"] != answer["ETag"]  # the writer's next If-Match is stale: it learns of it


def test_a_restores_answer_is_the_version_it_restored(alice, another_writer_right_after):
    path = "/api/v1/meetings/2022-intersessional-kasane/"
    m.Statement.objects.filter(meeting__slug="2022-intersessional-kasane").delete()
    m.Proposal.objects.filter(meeting__slug="2022-intersessional-kasane").update(meeting=None)
    assert alice.delete(path).status_code == 204
    another_writer_right_after("2022-intersessional-kasane")
    answer = alice.client.post(f"{path}restore/", headers=alice.auth)
    assert answer.status_code == 201, answer.content
    assert answer.json()["note"] != "theirs"
    assert answer["ETag"] == content_etag(answer.json())
