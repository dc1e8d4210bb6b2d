"""Load test (locust): mixed reads and editors' writes, then a check that no write was lost."""

# Run by bench/load (`make load`), which serves the app on a throwaway database; against a
# server of your own: KPDATA_LOAD_TOKEN=<editor token> locust -f bench/load.py --headless
#   -u 50 -r 10 -t 60s --stop-timeout 10 --only-summary --host http://127.0.0.1:8000
# It writes: notes of a few records and new sources, all marked with the run's id.

import csv
import io
import math
import os
import random
import sys
import time
import uuid
from collections import Counter

import requests
from locust import FastHttpUser, between, events, task

API = "/api/v1"
TOKEN = os.environ.get("KPDATA_LOAD_TOKEN", "")
RUN = uuid.uuid4().hex[:8]
EDITORS = 4
STATUSES = ("active", "suspended", "withdrawn")

DATA: dict = {}  # identifiers found on the server before the run
TALLY: Counter = Counter()  # errors by kind, 304s, 412s, changed revalidations
FAILURES: dict[tuple, list] = {}  # (kind, method, name, status) -> [count, a path, its answer]
LATENCIES: list[float] = []  # milliseconds, every request
ACKED_PATCHES: list[tuple[str, str]] = []  # (record path, note) answered 200
REFUSED_PATCHES: list[tuple[str, str]] = []  # (record path, note) answered 412
PENDING_PATCHES: set[tuple[str, str]] = set()  # sent, neither acknowledged nor refused
ACKED_SOURCES: list[dict] = []  # the body of every POST answered 201
REPORT: list[str] = []
CLOCK = {"start": 0.0, "stop": 0.0}


# --- requests and what counts as an error ---------------------------------------------------


def call(client, method, path, name, expect=(200,), check=None, **kwargs):
    """Send one request; return the response if its status is expected and `check` passes."""
    with client.request(method, path, name=name, catch_response=True, **kwargs) as response:
        kind, detail = _problem(response, expect, check)
        if kind is None:
            response.success()
            return response
        TALLY[kind] += 1
        seen = FAILURES.setdefault((kind, method, name, response.status_code), [0, path, detail])
        seen[0] += 1
        response.failure(f"{kind}: {detail}")
        return None


def _problem(response, expect, check) -> tuple[str | None, str]:
    status = response.status_code
    if status == 0 or (response.request_meta.get("exception") is not None and status < 400):
        error = getattr(response, "error", None) or response.request_meta.get("exception")
        return "connection", f"{status} {error!r}"
    body = (response.text or "")[:500]
    if status >= 500:
        return "5xx", f"{status} {body}"
    if status not in expect:
        return "unexpected", f"{status} {body}"
    try:
        message = check(response) if check else None
    except (ValueError, TypeError, AttributeError) as error:  # a body that does not parse
        message = f"{error!r} in {body[:200]!r}"
    return ("unexpected", f"{status} {message}") if message else (None, "")


def is_json_list(response) -> str | None:
    body = response.json()
    return None if "results" in body and "count" in body else "not a page of results"


def is_csv(response) -> str | None:
    if not response.headers.get("Content-Type", "").startswith("text/csv"):
        return f"Content-Type {response.headers.get('Content-Type')}"
    text = response.content.decode("utf-8")
    if not text.endswith("\n"):
        return "CSV body does not end with a complete row"
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or any(len(row) != len(rows[0]) for row in rows):
        return "CSV rows of different lengths"
    return None


# --- the clients ----------------------------------------------------------------------------


class Reader(FastHttpUser):
    """Someone reading: filtered lists, details, CSV exports, and revalidating what they have."""

    wait_time = between(0.2, 1.0)

    @task(3)
    def participants_as_of(self):
        day = f"{random.randint(2003, 2025)}-{random.randint(1, 12):02d}-01"
        query = f"as_of={day}&status={random.choice(STATUSES)}"
        call(self.client, "GET", f"{API}/participants/?{query}", "participants ?as_of&status",
             check=is_json_list)  # fmt: skip

    @task(3)
    def statements_filtered(self):
        participant, topic = random.choice(DATA["statement_pairs"])
        query = f"participant={participant}&topic={topic}"
        call(self.client, "GET", f"{API}/statements/?{query}", "statements ?participant&topic",
             check=is_json_list)  # fmt: skip

    @task(2)
    def proposals_of_meeting(self):
        meeting = random.choice(DATA["proposal_meetings"])
        call(self.client, "GET", f"{API}/proposals/?meeting={meeting}", "proposals ?meeting",
             check=is_json_list)  # fmt: skip

    @task(2)
    def production_with_world(self):
        codes = ",".join(["world", "BW", *random.sample(DATA["producers"], 2)])
        query = f"participant={codes}&year_after={random.randint(2004, 2020)}"
        call(self.client, "GET", f"{API}/production/?{query}", "production ?participant=world,..",
             check=is_json_list)  # fmt: skip

    @task(4)
    def detail_expanded(self):
        path = random.choice(random.choice(DATA["details"]))
        call(self.client, "GET", path, "detail ?expand=")

    @task(2)
    def csv_export(self):
        path = random.choice(DATA["exports"])
        call(self.client, "GET", path, "CSV export", check=is_csv)

    @task(3)
    def revalidate(self):
        path = random.choice(DATA["revalidate"])
        first = call(self.client, "GET", path, "revalidate: first GET")
        if first is None:
            return
        etag = first.headers.get("ETag")

        def unchanged_or_new(response) -> str | None:
            if response.status_code == 200 and response.headers.get("ETag") == etag:
                return "200 with the ETag sent in If-None-Match"
            return None

        again = call(self.client, "GET", path, "revalidate: If-None-Match", expect=(304, 200),
                     check=unchanged_or_new, headers={"If-None-Match": etag})  # fmt: skip
        if again is not None:
            TALLY["304" if again.status_code == 304 else "changed"] += 1


class Editor(FastHttpUser):
    """An editor: changes a record's note with If-Match after a fresh GET, adds sources."""

    fixed_count = EDITORS
    wait_time = between(0.5, 2.0)
    writes = 0

    def on_start(self):
        self.editor = f"e{uuid.uuid4().hex[:4]}"
        self.auth = {"Authorization": f"Token {TOKEN}"}

    @task(3)
    def patch_note(self):
        path = random.choice(DATA["editable"])
        fresh = call(self.client, "GET", path, "GET before PATCH")
        if fresh is None:
            return
        self.writes += 1
        note = f"load {RUN} {self.editor} {self.writes}"
        headers = {**self.auth, "If-Match": fresh.headers.get("ETag", "")}
        written = (path, note)
        PENDING_PATCHES.add(written)

        def holds_note(response) -> str | None:
            if response.status_code == 200 and response.json().get("note") != note:
                return "the answer does not hold the note written"
            return None

        answer = call(self.client, "PATCH", path, "PATCH note (If-Match)", expect=(200, 412),
                      check=holds_note, json={"note": note}, headers=headers)  # fmt: skip
        if answer is None:  # an error, counted as one; whether the note landed is unknown
            return
        PENDING_PATCHES.discard(written)
        if answer.status_code == 200:
            ACKED_PATCHES.append(written)
        else:
            TALLY["412"] += 1
            REFUSED_PATCHES.append(written)

    @task(1)
    def post_source(self):
        self.writes += 1
        slug = f"load-{RUN}-{self.editor}-{self.writes}"
        source = {
            "slug": slug,
            "url": f"https://example.org/kpdata-load/{slug}",
            "kind": random.choice(["news", "report", "communique", "dataset", "other"]),
            "title": f"Load test source {self.writes} of {self.editor}",
            "publisher": "KP Data load test",
            "author": self.editor,
            "published_on": f"{random.randint(2003, 2025)}-{random.randint(1, 12):02d}-01",
            "published_on_precision": "month",
            "confidence": "uncertain",
            "note": f"load {RUN}",
        }
        answer = call(self.client, "POST", f"{API}/sources/", "POST source", expect=(201,),
                      json=source, headers=self.auth)  # fmt: skip
        if answer is not None:
            ACKED_SOURCES.append(source)


# --- before and after the run ---------------------------------------------------------------


@events.init.add_listener
def discover(environment, **kwargs):
    """Find real identifiers to ask for, and the records the editors will change."""
    if not TOKEN:
        sys.exit("bench/load.py: set KPDATA_LOAD_TOKEN to an editor's token (create_editor).")
    if not environment.host:
        sys.exit("bench/load.py: give the server with --host http://127.0.0.1:PORT")
    base = environment.host.rstrip("/") + API

    def rows(collection, fields):
        url = f"{base}/{collection}/?page_size=1000&fields={fields}"
        try:
            answer = requests.get(url, timeout=30)
        except requests.RequestException as error:
            sys.exit(f"bench/load.py: GET {url} failed: {error}")
        if answer.status_code != 200:  # stop here: there is nothing to load-test
            sys.exit(f"bench/load.py: GET {url} answers {answer.status_code}: {answer.text[:300]}")
        return answer.json()["results"]

    participants = [row["code"] for row in rows("participants", "code")]
    meetings = [row["slug"] for row in rows("meetings", "slug")]
    proposals = rows("proposals", "slug,meeting")
    statements = rows("statements", "id,participant,topics")
    production = rows("production", "id,participant")
    topics = sorted({topic for row in statements for topic in row["topics"]})
    years = [row["year"] for row in rows("chairmanships", "year")]
    pairs = [(r["participant"], t) for r in statements if r["participant"] for t in r["topics"]]
    # Most filters name combinations that exist; a fifth ask for one that may not (an empty page).
    pairs += [(random.choice(participants), random.choice(topics)) for _ in range(len(pairs) // 4)]
    DATA.update(
        statement_pairs=pairs,
        proposal_meetings=sorted({row["meeting"] for row in proposals if row["meeting"]}),
        producers=sorted({row["participant"] for row in production if row["participant"]}),
        details=[
            [f"{API}/participants/{code}/?expand=blocs,sources" for code in participants],
            [f"{API}/meetings/{slug}/?expand=host,chair,sources" for slug in meetings],
            [
                f"{API}/proposals/{row['slug']}/?expand=meeting,tabled_by,sources"
                for row in proposals
            ],
            [
                f"{API}/statements/{row['id']}/?expand=speaker,organisation,participant,meeting,"
                "proposal,source"
                for row in statements
            ],
            [f"{API}/chairmanships/{year}/?expand=chair,chair_person,vice_chair" for year in years],
            [f"{API}/production/{row['id']}/?expand=participant,sources" for row in production],
        ],
        exports=[
            f"{API}/participants.csv",
            f"{API}/sources.csv",
            f"{API}/production/?format=csv&participant=world,BW,RU,CD",
            f"{API}/trade/?format=csv&flow=export",
            *(f"{API}/statements/?format=csv&topic={topic}" for topic in topics),
            *(f"{API}/proposals/?format=csv&meeting={slug}" for slug in meetings[-8:]),
        ],
    )
    # A few records that several editors change at once, so that some If-Match go stale.
    DATA["editable"] = [
        f"{API}/meetings/{meetings[-1]}/",
        f"{API}/meetings/{meetings[-2]}/",
        f"{API}/participants/ZA/",
        f"{API}/proposals/{proposals[-1]['slug']}/",
        f"{API}/statements/{statements[0]['id']}/",
        f"{API}/production/{production[0]['id']}/",
    ]
    DATA["revalidate"] = [
        *DATA["editable"],
        f"{API}/participants/?status=active",
        f"{API}/meetings/?year=2022",
        f"{API}/sources/?page_size=20",
        f"{API}/statements/?topic={topics[0]}",
        f"{API}/chairmanships/{years[-1]}/",
        f"{API}/",
    ]


@events.request.add_listener
def timed(response_time, **kwargs):
    if not LATENCIES:
        CLOCK["start"] = time.monotonic()
    LATENCIES.append(response_time)
    CLOCK["stop"] = time.monotonic()


@events.quitting.add_listener
def check_writes(environment, **kwargs):
    """Count, then look for every acknowledged write on the server; fail on any error or loss."""
    environment.process_exit_code = 1  # until the checks below have all run
    base = environment.host.rstrip("/")
    lost, unacknowledged, unfinished = [], [], ""
    try:
        lost, unacknowledged = _lost_patches(base)
        lost += _lost_sources(base)
    except (requests.RequestException, ValueError, KeyError) as error:
        unfinished = str(error)
    errors = TALLY["5xx"] + TALLY["connection"] + TALLY["unexpected"]
    failed = bool(errors or lost or unacknowledged or unfinished)
    REPORT.extend(_summary(environment, errors, lost, unacknowledged, unfinished, failed))
    environment.process_exit_code = 1 if failed else 0


@events.quit.add_listener
def report(exit_code, **kwargs):
    """Print the figures after locust's own tables."""
    print("\n".join(REPORT), flush=True)


def _lost_patches(base: str) -> tuple[list[str], list[str]]:
    """Acknowledged notes missing from their record's history, and notes there unacknowledged."""
    lost, unacknowledged = [], []
    for path in {path for path, _ in ACKED_PATCHES + REFUSED_PATCHES}:
        versions = _note_versions(base, path)
        answered = {note for p, note in ACKED_PATCHES if p == path}
        unknown = {note for p, note in PENDING_PATCHES if p == path}
        lost += [f"PATCH {path} note={note!r}: not in its history" for note in sorted(answered)
                 if note not in versions]  # fmt: skip
        current = _get(base + path)["note"]
        if versions and current != versions[-1]:
            lost.append(f"{path}: note is {current!r}, its history ends with {versions[-1]!r}")
        unacknowledged += [
            f"{path}: note={note!r} is in its history, but the PATCH was not acknowledged"
            for note in versions
            if note.startswith(f"load {RUN} ") and note not in answered | unknown
        ]
    return lost, unacknowledged


def _lost_sources(base: str) -> list[str]:
    lost = []
    for source in ACKED_SOURCES:
        answer = requests.get(f"{base}{API}/sources/{source['slug']}/", timeout=30)
        if answer.status_code >= 500:
            raise ValueError(f"GET {answer.url} answered {answer.status_code}: {answer.text[:300]}")
        if answer.status_code != 200:
            lost.append(f"POST source {source['slug']}: GET answers {answer.status_code}")
            continue
        stored = answer.json()
        wrong = sorted(key for key, value in source.items() if stored.get(key) != value)
        if wrong:
            lost.append(f"POST source {source['slug']}: {', '.join(wrong)} differ")
    return lost


def _get(url: str) -> dict:
    answer = requests.get(url, timeout=30)
    if answer.status_code != 200:
        raise ValueError(f"GET {url} answered {answer.status_code}: {answer.text[:300]}")
    return answer.json()


def _note_versions(base: str, path: str) -> list[str]:
    """The record's note in each version of its history, oldest first."""
    notes, url = [], f"{base}{path}history/?page_size=1000"
    while url:
        page = _get(url)
        notes += [
            change["new"]["note"]
            for change in page["results"]
            if change["part"] == "record" and change["new"] is not None
        ]
        url = page["next"]
    return notes


def _summary(environment, errors, lost, unacknowledged, unfinished, failed) -> list[str]:
    seconds = max(CLOCK["stop"] - CLOCK["start"], 1e-9)
    users = environment.parsed_options.num_users if environment.parsed_options else "?"
    writes = len(ACKED_PATCHES) + len(ACKED_SOURCES)
    lines = [
        "",
        f"== KP Data load test {RUN}: {users} users ({EDITORS} editors) against {environment.host}",
        f"requests        {len(LATENCIES)} in {seconds:.0f} s ({len(LATENCIES) / seconds:.1f}/s)",
        f"errors          {errors} (5xx {TALLY['5xx']}, connection {TALLY['connection']}, "
        f"unexpected status {TALLY['unexpected']})",
        f"latency         p50 {_percentile(50):.0f} ms, p99 {_percentile(99):.0f} ms, "
        f"max {max(LATENCIES, default=0):.0f} ms",
        f"revalidations   {TALLY['304']} answered 304, {TALLY['changed']} answered 200 "
        "(changed meanwhile)",
        f"writes          {writes} acknowledged: {len(ACKED_PATCHES)} PATCH (200), "
        f"{len(ACKED_SOURCES)} POST (201); {TALLY['412']} PATCH refused with 412 (stale If-Match)",
        f"checked         {writes} acknowledged writes: {len(lost)} lost; "
        f"{len(unacknowledged)} unacknowledged writes applied"
        if not unfinished
        else f"checked         could not finish: {unfinished}",
    ]
    lines += [
        f"  {count} x {kind} on {method} {name}, e.g. {path} -> {detail}"
        for (kind, method, name, _), (count, path, detail) in FAILURES.items()
    ]
    lines += [f"  lost write: {line}" for line in lost]
    lines += [f"  applied though unacknowledged: {line}" for line in unacknowledged]
    lines.append(f"result          {'FAIL' if failed else 'PASS'}")
    return lines


def _percentile(p: float) -> float:
    """The nearest-rank percentile of all request latencies, in milliseconds."""
    if not LATENCIES:
        return 0.0
    ordered = sorted(LATENCIES)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]
