"""A statement's detail in its fast lane (api/views/lanes.py) answers as DRF's view does.

Each request is made twice: as served, and with the lane closed; status, headers (but the
request id and the rate limit's count) and bytes must be the same, for plain requests and for
those the lane leaves to DRF (bad names, other parameters, tokens, media types, methods, a
record not there).
"""

import pytest
from django.db import connection

from api import models as m
from api.throttles import AnonThrottle
from api.views import StatementViewSet, lanes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the lane is PostgreSQL's"),
]

EVERY = "speaker,organisation,participant,meeting,proposal,source"
# What differs between two requests: each has its id, and is counted (test_throttles.py).
VARYING = {"X-Request-ID", "RateLimit-Remaining", "RateLimit-Reset"}


def answer(response) -> tuple:
    headers = {name: value for name, value in response.items() if name not in VARYING}
    return response.status_code, headers, response.content


def both_ways(client, monkeypatch, method: str, path: str, data=None, **headers) -> tuple:
    taken = []
    real = lanes._plain
    monkeypatch.setattr(lanes, "_plain", lambda request: taken.append(1) or real(request))
    served = answer(getattr(client, method)(path, data, **headers))
    monkeypatch.setattr(lanes, "_plain", lambda request: False)
    drf = answer(getattr(client, method)(path, data, **headers))
    monkeypatch.setattr(lanes, "_plain", real)
    return served, drf, bool(taken)


@pytest.mark.usefixtures("awkward")
def test_every_plain_detail_answers_as_drf_does(client, monkeypatch):
    monkeypatch.setattr(AnonThrottle, "rate", "100000/min", raising=False)  # 800 requests
    ids = list(m.Statement.objects.order_by("-id").values_list("id", flat=True)[:14])
    ids += list(m.Statement.objects.order_by("id").values_list("id", flat=True)[:3])
    for pk in ids:
        for params in (
            {},
            {"expand": EVERY},
            {"expand": "speaker"},
            {"expand": " source ,meeting"},
        ):
            for accept in ({}, {"HTTP_ACCEPT": "*/*"}, {"HTTP_ACCEPT": "application/json"}):
                path = f"/api/v1/statements/{pk}/"
                for method in ("get", "head"):
                    served, drf, _ = both_ways(client, monkeypatch, method, path, params, **accept)
                    assert served == drf, (pk, params, accept, method)
                    assert served[0] == 200


@pytest.mark.parametrize(
    "params, headers",
    [
        ({"expand": "speaker,bogus"}, {}),
        ({"expand": ""}, {}),
        ({"fields": "id,text"}, {}),
        ({"format": "csv"}, {}),
        ({"expand": "speaker", "page": "2"}, {}),
        ({}, {"HTTP_ACCEPT": "text/csv"}),
        ({}, {"HTTP_ACCEPT": "application/json; indent=2"}),
        ({}, {"HTTP_AUTHORIZATION": "Token not-a-token"}),
    ],
)
def test_what_the_lane_leaves_to_drf_is_answered_as_before(client, monkeypatch, params, headers):
    path = f"/api/v1/statements/{m.Statement.objects.first().pk}/"
    served, drf, _ = both_ways(client, monkeypatch, "get", path, params, **headers)
    assert served == drf


def test_a_missing_record_and_other_methods_are_drfs(client, monkeypatch):
    pk = m.Statement.objects.first().pk
    for method, path in (("get", "/api/v1/statements/999999999/"),
                         ("post", f"/api/v1/statements/{pk}/"),
                         ("options", f"/api/v1/statements/{pk}/"),
                         ("get", f"/api/v1/statements/{pk}.json")):  # fmt: skip
        served, drf, _ = both_ways(client, monkeypatch, method, path)
        assert served == drf, (method, path)
        assert served[0] in (200, 404, 405), (method, path, served)


def test_the_lane_counts_each_request_once_and_drf_refuses_past_the_limit(client, monkeypatch):
    monkeypatch.setattr(AnonThrottle, "rate", "3/min", raising=False)
    path = f"/api/v1/statements/{m.Statement.objects.first().pk}/"
    answers = [client.get(path) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert answers[3]["Content-Type"] == "application/problem+json"
    assert "Retry-After" in answers[3]


def test_a_plain_detail_is_answered_without_drfs_dispatch(client, monkeypatch):
    dispatched = []
    real = StatementViewSet.initial

    def initial(self, *args, **kwargs):
        dispatched.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(StatementViewSet, "initial", initial)
    path = f"/api/v1/statements/{m.Statement.objects.first().pk}/"
    assert client.get(path, {"expand": "speaker"}).status_code == 200
    assert not dispatched
    assert client.get(path, {"fields": "id"}).status_code == 200
    assert dispatched
