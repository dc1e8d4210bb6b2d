"""Cold traffic: pools of URLs, each asked once, as NGOs' tools and researchers walk the record.

A figure measured on one URL asked again and again says what a kept answer costs; real clients
rarely ask the same URL twice. Each pool holds URLs of one shape that differ in what they ask
(details by ids drawn at random, lists by participant x topic x search word, stands by actor,
position, topic and year), shuffled with a fixed seed, so both servers get the same sequence.
"""

import random

# Words of the KP's record, for searches that find something at every size.
WORDS = ("compliance", "diamonds", "review", "certificate", "smuggling", "monitoring",
         "export", "mission", "conflict", "civil")  # fmt: skip
YEARS = range(2003, 2026)
DETAILS = 100_000  # a pool no round runs out of, at any size the benchmark runs


def build(connection, expand: str, deep: tuple[str, range]) -> dict[str, list[str]]:
    """Every cold case's URLs; `deep` is the deep pages' prefix and the pages to ask for."""
    codes = [code for (code,) in connection.execute("SELECT code FROM api_participant")]
    topics = [slug for (slug,) in connection.execute("SELECT slug FROM api_topic")]
    ids = [pk for (pk,) in connection.execute(
        "SELECT id FROM api_statement ORDER BY md5(id::text) LIMIT %s", [DETAILS])]  # fmt: skip
    statements, positions = "/api/v1/statements/?page_size=100", "/api/v1/positions/?page_size=100"
    pairs = [(a, b) for i, a in enumerate(codes) for b in codes[i + 1 :]]
    spans = [(a, b) for a in YEARS for b in YEARS if a <= b]  # year_after, year_before
    pools = {
        "list": [f"/api/v1/statements/?page_size={n}&participant={c}&topic={t}"
                 for c in codes for t in topics for n in (100, 50)],
        "filtered": [f"{statements}&participant={c}&topic={t}&search={w}"
                     for c in codes for t in topics for w in WORDS],
        "detail": [f"/api/v1/statements/{pk}/?expand={expand}" for pk in ids],
        "positions": [f"{positions}&participant={c}&year_after={a}&year_before={b}"
                      for c in codes for a, b in spans]
        + [f"{positions}&topic={t}&year_after={a}&year_before={b}" for t in topics
           for a, b in spans],
        "pos-filtered": [f"{positions}&participant={c}&position={p}&topic={t}&year_after={y}"
                         for c in codes for p in ("support", "oppose", "abstain") for t in topics
                         for y in YEARS],
        "agreement": [f"/api/v1/agreement/?actors={a},{b}{f'&topic={t}' if t else ''}"
                      for a, b in pairs for t in ("", *topics)],
        "record": [f"/api/v1/participants/{c}/record/?topic={t}&year_after={y}"
                   for c in codes for t in topics for y in YEARS]
        + [f"/api/v1/participants/{c}/record/?year_after={a}&year_before={b}"
           for c in codes for a, b in spans],
    }  # fmt: skip
    shuffle = random.Random(2026).shuffle
    for urls in pools.values():
        shuffle(urls)
    prefix, pages = deep
    pools["deep"] = [f"{prefix}{page}" for page in pages]  # spread by the stride already
    return pools
