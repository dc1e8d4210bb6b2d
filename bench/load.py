"""Load test (locust): mixed reads, and editors racing on two records, then a check that the
acknowledged writes of each record form one chain of ETags: no lost update."""

# Run by bench/load (`make load`), which serves the app on a throwaway database; against a
# server of your own: KPDATA_LOAD_TOKEN=<editor token> locust -f bench/load.py --headless
#   -u 50 -r 10 -t 60s --stop-timeout 30 --only-summary --host http://127.0.0.1:8000
# It writes: two proposals it creates (and edits, deletes and restores) and new sources, all
# marked with the run's id. KPDATA_LOAD_EDITORS sets the number of editors (default 10); the
# other users are readers.
#
# The chain. Every write to a contested record is logged with the If-Match it was based on
# (the ETag of a fresh GET), its status and the ETag its answer carried. A success is 200 for
# PUT and PATCH (the answer's ETag is the version it made), 204 for DELETE (no ETag: the record
# is gone), 201 for POST .../restore/ (no If-Match: the API restores a deleted record whatever
# its last version was, and answers the restored version's ETag, a new one, since `updated_at`
# moves). So, per record:
#   - a PUT, PATCH or DELETE success is based on the ETag in its If-Match; a restore success is
#     based on "deleted";
#   - the chain starts at the ETag the record's creation returned; each PUT or PATCH success
#     continues it from the ETag it returned, a DELETE success ends a link (the record is
#     deleted), and a restore success starts the next link from "deleted" at its own ETag;
#   - the acknowledged writes form ONE chain when no ETag is the base of two successes (a fork:
#     both writers were told their version was current, and the first was overwritten), every
#     success is based on an ETag the chain reached (otherwise a gap: it was based on a version
#     no acknowledged write made), and the links join into one line: every link but the last ends
#     with a DELETE, as many restores as DELETEs that were followed (two restores of one deletion
#     leave two open ends), the last link ending at the record as the server now serves it (its
#     ETag, or 404 when the chain ends with a DELETE).
# Each fork, gap or bad join is a lost update. The record's history must also hold every
# acknowledged write and nothing refused, in the chain's order.

import csv
import io
import math
import os
import random
import sys
import time
import uuid
from collections import Counter, defaultdict

import requests
from locust import FastHttpUser, between, events, task

API = "/api/v1"
TOKEN = os.environ.get("KPDATA_LOAD_TOKEN", "")
RUN = uuid.uuid4().hex[:8]
EDITORS = int(os.environ.get("KPDATA_LOAD_EDITORS", "10"))
CONTESTED = ("a", "b")  # the records all editors race on
STATUSES = ("active", "suspended", "withdrawn")
# What a PUT of a proposal sends: ProposalWriteSerializer's fields, and PositionWriteSerializer's
# for each stand (api/serializers/writes/collections.py), taken from a GET of the record.
PROPOSAL_FIELDS = ("slug", "title", "summary", "meeting", "tabled_on", "tabled_on_precision",
                   "tabled_by", "tabled_by_organisations", "topics", "decision_rule", "outcome",
                   "positions", "confidence", "note", "sources")  # fmt: skip
STAND_FIELDS = ("participant", "organisation", "position", "confidence", "note", "sources")
# Per kind of write: the method, the name in locust's tables, the statuses expected (the first
# one is the success), and whether it carries If-Match.
WRITE_KINDS = {
    "PATCH": ("PATCH", "PATCH note (If-Match)", (200, 412, 404)),
    "PUT": ("PUT", "PUT whole record (If-Match)", (200, 412, 404)),
    "DELETE": ("DELETE", "DELETE (If-Match)", (204, 412, 404)),
    "restore": ("POST", "POST restore/", (201, 409)),
}

DATA: dict = {}  # identifiers found on the server before the run
TALLY: Counter = Counter()  # errors by kind, 304s, changed revalidations
FAILURES: dict[tuple, list] = {}  # (kind, method, name, status) -> [count, a path, its answer]
LATENCIES: list[float] = []  # milliseconds, every request
INITIAL: dict[str, str] = {}  # contested record's path -> the ETag its creation returned
WRITES: list[dict] = []  # every write to a contested record: see Editor.write
ACKED_SOURCES: list[dict] = []  # the body of every POST answered 201
SOURCES_TRIED = [0]
REPORT: list[str] = []
CLOCK = {"start": 0.0, "stop": 0.0}


# --- requests and what counts as an error ---------------------------------------------------


def call(client, method, path, name, expect=(200,), check=None, seen=None, **kwargs):
    """Send one request; return the response if its status is expected and `check` passes.
    `seen`, a dict, is given the status and the ETag of the answer, whatever they are."""
    with client.request(method, path, name=name, catch_response=True, **kwargs) as response:
        if seen is not None:
            seen["status"] = response.status_code
            seen["etag"] = response.headers.get("ETag")
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
        gone = (404,) if path in INITIAL else ()  # a contested record may be deleted just now
        first = call(self.client, "GET", path, "revalidate: first GET", expect=(200, *gone))
        if first is None or first.status_code == 404:
            return
        etag = first.headers.get("ETag")

        def unchanged_or_new(response) -> str | None:
            if response.status_code == 200 and response.headers.get("ETag") == etag:
                return "200 with the ETag sent in If-None-Match"
            return None

        again = call(self.client, "GET", path, "revalidate: If-None-Match",
                     expect=(304, 200, *gone), check=unchanged_or_new,
                     headers={"If-None-Match": etag})  # fmt: skip
        if again is not None:
            TALLY["304" if again.status_code == 304 else "changed"] += 1  # a 404 counts as one


class Editor(FastHttpUser):
    """An editor: after a fresh GET of one of the two contested records, a PATCH of its note, a
    PUT of the whole record or a DELETE, all with If-Match; a restore when it finds the record
    deleted; now and then a new source."""

    fixed_count = EDITORS
    wait_time = between(0.1, 1.0)
    writes = 0

    def on_start(self):
        self.editor = f"e{uuid.uuid4().hex[:4]}"
        self.auth = {"Authorization": f"Token {TOKEN}"}

    @task(8)
    def edit(self):
        path = random.choice(list(INITIAL))
        fresh = call(self.client, "GET", path, "GET before a write", expect=(200, 404))
        if fresh is None:
            return
        if fresh.status_code == 404:
            self.write(path, "restore", None)
            return
        kind = random.choices(("PATCH", "PUT", "DELETE"), weights=(5, 4, 1))[0]
        self.write(path, kind, fresh.headers.get("ETag", ""), fresh.json())

    def write(self, path: str, kind: str, etag: str | None, record: dict | None = None) -> None:
        """Send one write and log it in WRITES: the If-Match it was based on, its status, the
        ETag its answer carried, and its outcome: ok, refused (412, 404, 409), error (an
        unexpected answer or none; whether it landed is unknown) or pending (never answered:
        the run stopped first)."""
        method, name, expect = WRITE_KINDS[kind]
        self.writes += 1
        note = f"load {RUN} {self.editor} {self.writes}"
        entry = {"path": path, "kind": kind, "editor": self.editor, "if_match": etag,
                 "note": note if kind in {"PATCH", "PUT"} else None, "status": None,
                 "etag": None, "outcome": "pending"}  # fmt: skip
        headers = {**self.auth, **({"If-Match": etag} if etag is not None else {})}
        body = {}
        if kind == "PATCH":
            body = {"json": {"note": note}}
        elif kind == "PUT":
            body = {"json": writable(record, note)}

        def as_written(response) -> str | None:
            if response.status_code != expect[0]:
                return None
            if kind != "DELETE" and not response.headers.get("ETag"):
                return "a success without an ETag"
            if entry["note"] and response.json().get("note") != note:
                return "the answer does not hold the note written"
            return None

        WRITES.append(entry)
        url = f"{path}restore/" if kind == "restore" else path
        answer = call(self.client, method, url, name, expect=expect, check=as_written,
                      seen=entry, headers=headers, **body)  # fmt: skip
        if answer is None:
            entry["outcome"] = "error"
        else:
            entry["outcome"] = "ok" if answer.status_code == expect[0] else "refused"

    @task(1)
    def post_source(self):
        self.writes += 1
        SOURCES_TRIED[0] += 1
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


def writable(record: dict, note: str) -> dict:
    """A proposal as read, as its write serializer takes it whole, with a new note on it and on
    its first stand (a part changed in place)."""
    body = {name: record[name] for name in PROPOSAL_FIELDS}
    body["positions"] = [{name: row[name] for name in STAND_FIELDS} for row in record["positions"]]
    body["note"] = note
    if body["positions"]:
        body["positions"][0]["note"] = note
    return body


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
    # The two records every editor races on: proposals (with stands, topics, links) made for
    # the run from one of the reference data's, so that deleting them breaks no reference.
    template = max(rows("proposals", "slug,positions"), key=lambda row: len(row["positions"]))
    template = _get(f"{base}/proposals/{template['slug']}/")
    for letter in CONTESTED:
        body = {**writable(template, f"load {RUN} created"), "slug": f"load-{RUN}-{letter}"}
        answer = requests.post(f"{base}/proposals/", json=body, timeout=30,
                               headers={"Authorization": f"Token {TOKEN}"})  # fmt: skip
        if answer.status_code != 201 or not answer.headers.get("ETag"):
            sys.exit(f"bench/load.py: POST a proposal answers {answer.status_code}: "
                     f"{answer.text[:300]}")  # fmt: skip
        INITIAL[f"{API}/proposals/{body['slug']}/"] = answer.headers["ETag"]
    DATA["revalidate"] = [
        *INITIAL,
        f"{API}/participants/?status=active",
        f"{API}/meetings/?year=2022",
        f"{API}/sources/?page_size=20",
        f"{API}/statements/?topic={topics[0]}",
        f"{API}/chairmanships/{years[-1]}/",
        f"{API}/proposals/?page_size=50",
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
    """Count, check each contested record's chain and history, look for every new source; fail
    on any error or lost update."""
    environment.process_exit_code = 1  # until the checks below have all run
    base = environment.host.rstrip("/")
    chains, lost, unacknowledged, unfinished = [], [], [], ""
    try:
        for path in INITIAL:
            chain = _chain(base, path)
            chains.append(chain)
            lost += chain["lost"]
            unacknowledged += chain["unacknowledged"]
        lost += _lost_sources(base)
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        unfinished = f"{type(error).__name__}: {error}"
    errors = TALLY["5xx"] + TALLY["connection"] + TALLY["unexpected"]
    failed = bool(errors or lost or unacknowledged or unfinished)
    REPORT.extend(_summary(environment, errors, chains, lost, unacknowledged, unfinished, failed))
    environment.process_exit_code = 1 if failed else 0


@events.quit.add_listener
def report(exit_code, **kwargs):
    """Print the figures after locust's own tables."""
    print("\n".join(REPORT), flush=True)


def _chain(base: str, path: str) -> dict:
    """Walk a contested record's acknowledged writes from its first ETag (see the top of this
    file); compare the walk with the record's history and with the record as now served."""
    writes = [w for w in WRITES if w["path"] == path]
    done = [w for w in writes if w["outcome"] == "ok"]
    unknown = [w for w in writes if w["outcome"] in {"error", "pending"}]
    restores = [w for w in done if w["kind"] == "restore"]
    following = defaultdict(list)  # ETag -> the successes based on it
    for w in done:
        if w["kind"] != "restore":
            following[w["if_match"]].append(w)
    lost: list[str] = []
    walked, reached, links, open_ends, deleted_ends, forked = set(), set(), [], [], 0, 0

    def describe(w: dict) -> str:
        note = f" note={w['note']!r}" if w["note"] else ""
        after = f" -> {w['etag']}" if w["etag"] and w["kind"] != "DELETE" else ""
        return f"{w['kind']} by {w['editor']}{note} ({w['status']}{after})"

    # The links: from the creation, and from each restore. Every branch of a fork is followed,
    # so that what was based on a forked version is not counted again as a gap.
    for restore in [None, *restores]:
        link = [restore] if restore else []
        stack = [restore["etag"] if restore else INITIAL[path]]
        while stack:
            etag = stack.pop()
            if etag in reached:
                continue
            reached.add(etag)
            nexts = following.get(etag, [])
            if len(nexts) > 1:
                forked += len(nexts) - 1
                lost.append(f"{path}: fork at {etag}: {len(nexts)} successes based on it: "
                            + "; ".join(describe(w) for w in nexts))  # fmt: skip
            if not nexts:
                open_ends.append(etag)
            for w in nexts:
                walked.add(id(w))
                link.append(w)
                if w["kind"] == "DELETE":
                    deleted_ends += 1
                else:
                    stack.append(w["etag"])
        links.append(link)
    lost += [
        f"{path}: gap: {describe(w)} was based on {w['if_match']}, a version no acknowledged "
        "write made"
        for w in done
        if w["kind"] != "restore" and id(w) not in walked
    ]
    if len(open_ends) > 1 and not forked:  # a fork leaves open ends of its own
        lost.append(f"{path}: {len(open_ends)} links end open, {len(restores)} restores for "
                    f"{deleted_ends} DELETEs: a deletion restored twice")  # fmt: skip

    # The record as now served is where the chain ends.
    answer = requests.get(base + path, timeout=30)
    if answer.status_code not in (200, 404):
        raise ValueError(f"GET {path} answered {answer.status_code}: {answer.text[:300]}")
    now = answer.headers.get("ETag") if answer.status_code == 200 else "deleted"
    end = open_ends[0] if len(open_ends) == 1 else "deleted" if not open_ends else None
    if end is not None and now != end and not unknown:
        lost.append(f"{path}: the chain ends at {end}, the record is now {now}")

    # The history holds the acknowledged writes, in the chain's order, and nothing refused.
    entries = _history(base, path)[1:]  # after its creation by this run
    steps = [("update", (e["fields"].get("note") or {}).get("new")) if e["action"] == "update"
             else (e["action"], None) for e in entries]  # fmt: skip
    unacknowledged = []
    for action, kinds in (("update", {"PATCH", "PUT"}), ("delete", {"DELETE"}),
                          ("create", {"restore"})):  # fmt: skip
        acked = sum(w["kind"] in kinds for w in done)
        maybe = sum(w["kind"] in kinds for w in unknown)
        found = sum(step[0] == action for step in steps)
        if found < acked:
            lost.append(f"{path}: {acked} acknowledged {'/'.join(sorted(kinds))}, "
                        f"{found} in its history")  # fmt: skip
        if found > acked + maybe:
            unacknowledged.append(f"{path}: {found - acked} {action}s in its history that "
                                  "no acknowledged write made")  # fmt: skip
    order = {note: i for i, (action, note) in enumerate(steps) if action == "update"}
    sent = {w["note"] for w in writes if w["note"]}
    for w in done:
        if w["note"] and w["note"] not in order:
            lost.append(f"{path}: {describe(w)}: its note is not in the history")
    answered = {w["note"] for w in done if w["note"]} | {w["note"] for w in unknown if w["note"]}
    unacknowledged += [
        f"{path}: note={note!r} is in its history, but its write was refused"
        for note in order
        if note in sent and note not in answered
    ]
    for link in links if not forked else []:  # a fork's branches have no one order
        places = [order[w["note"]] for w in link if w["note"] in order]
        if places != sorted(places):
            lost.append(f"{path}: the history's order of the notes differs from the chain's")
    return {
        "path": path,
        "lost": lost,
        "unacknowledged": unacknowledged,
        "length": sum(len(link) for link in links),
        "forks": forked,
        "by_kind": Counter(w["kind"] for link in links for w in link),
        "links": len(links),
        "now": "deleted" if now == "deleted" else "present",
        "unknown": len(unknown),
    }


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


def _history(base: str, path: str) -> list[dict]:
    """The record's history, oldest first: its creation, updates, deletions and restores."""
    entries, url = [], f"{base}{path}history/?page_size=1000"
    while url:
        page = _get(url)
        entries += page["results"]
        url = page["next"]
    return entries


def _summary(environment, errors, chains, lost, unacknowledged, unfinished, failed) -> list[str]:
    seconds = max(CLOCK["stop"] - CLOCK["start"], 1e-9)
    users = environment.parsed_options.num_users if environment.parsed_options else "?"
    tried = Counter(w["kind"] for w in WRITES)
    done = Counter(w["kind"] for w in WRITES if w["outcome"] == "ok")
    statuses = Counter(w["status"] for w in WRITES if w["outcome"] == "refused")
    unknown = sum(w["outcome"] in {"error", "pending"} for w in WRITES)
    forked = sum(c["forks"] for c in chains)
    others = sum(": fork at " not in line for line in lost)
    lines = [
        "",
        f"== KP Data load test {RUN}: {users} users ({EDITORS} editors on {len(INITIAL)} "
        f"records) against {environment.host}",
        f"requests        {len(LATENCIES)} in {seconds:.0f} s ({len(LATENCIES) / seconds:.1f}/s)",
        f"errors          {errors} (5xx {TALLY['5xx']}, connection {TALLY['connection']}, "
        f"unexpected status {TALLY['unexpected']})",
        f"latency         p50 {_percentile(50):.0f} ms, p99 {_percentile(99):.0f} ms, "
        f"max {max(LATENCIES, default=0):.0f} ms",
        f"revalidations   {TALLY['304']} answered 304, {TALLY['changed']} answered 200 or 404 "
        "(changed meanwhile)",
        f"writes          {sum(tried.values())} attempted on the contested records "
        f"({_each(tried)}); {sum(done.values())} acknowledged ({_each(done)})",
        f"refused         {statuses[412]} x 412 (stale If-Match), {statuses[404]} x 404 (deleted "
        f"meanwhile), {statuses[409]} x 409 (restored meanwhile); {unknown} of unknown outcome",
        f"sources         {SOURCES_TRIED[0]} POST attempted, {len(ACKED_SOURCES)} acknowledged",
    ]
    lines += [
        f"chain           {c['path']}: {c['length']} acknowledged writes in {c['links']} "
        f"link(s) ({_each(c['by_kind'])}), record {c['now']} at the end"
        + (f"; {c['forks']} successes forked off it" if c["forks"] else "")
        for c in chains
    ]
    lines.append(
        f"lost updates    {forked + others} ({forked} successes forked off a version another "
        f"success was based on; {others} gaps, bad joins, writes missing); "
        f"{len(unacknowledged)} refused writes applied"
        if not unfinished
        else f"checked         could not finish: {unfinished}"
    )
    lines += [
        f"  {count} x {kind} on {method} {name}, e.g. {path} -> {detail}"
        for (kind, method, name, _), (count, path, detail) in FAILURES.items()
    ]
    lines += [f"  lost update: {line}" for line in lost]
    lines += [f"  applied though refused: {line}" for line in unacknowledged]
    lines.append(f"result          {'FAIL' if failed else 'PASS'}")
    return lines


def _each(counts: Counter) -> str:
    return ", ".join(f"{kind} {counts[kind]}" for kind in WRITE_KINDS)


def _percentile(p: float) -> float:
    """The nearest-rank percentile of all request latencies, in milliseconds."""
    if not LATENCIES:
        return 0.0
    ordered = sorted(LATENCIES)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]
