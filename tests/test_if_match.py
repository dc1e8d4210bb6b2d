"""If-Match guards every change: only the current ETag, or `*` alone, lets a write through."""

import pytest

from api import models as m
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
