"""Two editors, one ETag, the same moment: exactly one change lands, the other is told 412."""

import json
import threading

import pytest

from tests.live import live_server, manage, request

KASANE = "/api/v1/meetings/2022-intersessional-kasane/"


@pytest.fixture(scope="module")
def server(tmp_path_factory, live_database):
    folder = tmp_path_factory.mktemp("concurrency")
    with live_server(live_database, folder, workers=4) as (base, env):
        tokens = [
            manage(env, "create_editor", name, "--name", name.title()).splitlines()[-1]
            for name in ("ana", "ben")
        ]
        yield base, tokens


@pytest.mark.parametrize("attempt", range(3))
def test_two_editors_patching_with_the_same_etag_at_once_land_exactly_one_change(server, attempt):
    base, tokens = server
    _, headers, _ = request("GET", base + KASANE)
    etag = headers["ETag"]
    start = threading.Barrier(2)
    results = {}

    def edit(name: str, token: str) -> None:
        start.wait()
        results[name] = request(
            "PATCH", base + KASANE, {"outcome": f"Outcome as {name} wrote it ({attempt})"},
            Authorization=f"Token {token}", **{"If-Match": etag},
        )  # fmt: skip

    threads = [
        threading.Thread(target=edit, args=item)
        for item in zip(("ana", "ben"), tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    codes = sorted(status for status, _, _ in results.values())
    assert codes == [200, 412], {name: r[2][:200] for name, r in results.items()}
    (winner,) = [name for name, r in results.items() if r[0] == 200]
    loser = next(r for r in results.values() if r[0] == 412)
    assert loser[1]["Content-Type"] == "application/problem+json"

    _, _, page = request("GET", base + KASANE + "history/?page_size=1000")
    updates = [
        change for change in json.loads(page)["results"]
        if change["action"] == "update" and change["via"] == "api"
        and change["fields"]["outcome"]["new"].endswith(f"({attempt})")
    ]  # fmt: skip
    assert len(updates) == 1 and updates[0]["by"] == winner.title()
    _, _, now = request("GET", base + KASANE)
    assert json.loads(now)["outcome"] == f"Outcome as {winner} wrote it ({attempt})"
