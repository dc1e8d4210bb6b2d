"""Totals of the statistics per year or participant, never taking a partial sum for the world.

Per year, `carats` and `value_usd` are the KP's published world total; a year without one is
marked `basis: sum_of_listed` and carries no world figure unless `partial` asks for the listed
sum in its place. Every row says what the listed records hold (`listed_*`, `participants`) and
how much of the published world total they cover (`coverage_*`). `usd_per_carat` is taken over
the records that have both figures only (`n` of them), and every share is of a total of the
same measure and year.
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum

MEASURES = ("carats", "value_usd")
BOTH = Q(carats__isnull=False, value_usd__isnull=False)


def ratio(numerator, denominator, places: str = "0.01"):
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places))


def by_year(listed, world, keys=("year",), partial: bool = False) -> list[dict]:
    """One row per year (and flow, for trade): the world figures, their basis, and the listed.

    `listed` holds the participants' rows that match the filters; `world` the published world
    totals that match them (any participant filter aside).
    """
    sums = {
        tuple(row[key] for key in keys): row
        for row in listed.values(*keys).annotate(
            listed_carats=Sum("carats"),
            listed_value_usd=Sum("value_usd"),
            participants=Count("id"),
            both_carats=Sum("carats", filter=BOTH),
            both_value_usd=Sum("value_usd", filter=BOTH),
            n=Count("id", filter=BOTH),
        )
    }
    totals = {tuple(getattr(row, key) for key in keys): row for row in world}
    rows = []
    for group in sorted(set(sums) | set(totals)):
        own = sums.get(group, {})
        total = totals.get(group)
        row = {**dict(zip(keys, group, strict=True))}
        if total is not None:
            both = total.carats is not None and total.value_usd is not None
            row |= {
                "carats": total.carats,
                "value_usd": total.value_usd,
                "usd_per_carat": ratio(total.value_usd, total.carats) if both else None,
                "n": 1 if both else 0,
                "basis": "published_total",
            }
        else:
            row |= {
                "carats": own.get("listed_carats") if partial else None,
                "value_usd": own.get("listed_value_usd") if partial else None,
                "usd_per_carat": (
                    ratio(own.get("both_value_usd"), own.get("both_carats")) if partial else None
                ),
                "n": own.get("n", 0) if partial else 0,
                "basis": "sum_of_listed",
            }
        rows.append(row | _listed(own, total))
    return rows


def _listed(own: dict, total) -> dict:
    """What the listed records hold, and their share of the published world total."""
    return {
        "listed_carats": own.get("listed_carats"),
        "listed_value_usd": own.get("listed_value_usd"),
        "coverage_carats": ratio(own.get("listed_carats"), total and total.carats, "0.0001"),
        "coverage_value_usd": ratio(
            own.get("listed_value_usd"), total and total.value_usd, "0.0001"
        ),
        "participants": own.get("participants", 0),
    }


def by_participant(listed, world, keys=()) -> list[dict]:
    """One row per participant (and flow): totals over the filtered years, and shares of the
    published world totals of the same years."""
    world_by = {(row.year, *(getattr(row, key) for key in keys)): row for row in world}
    groups: dict[tuple, dict] = {}
    for row in listed.select_related("participant").order_by("participant__code", "year"):
        group = (row.participant.code, *(getattr(row, key) for key in keys))
        entry = groups.setdefault(group, {"participant": row.participant, "rows": [], "world": []})
        entry["rows"].append(row)
        if (total := world_by.get((row.year, *group[1:]))) is not None:
            entry["world"].append((row, total))
    results = []
    for group, entry in groups.items():
        rows = entry["rows"]
        carats = _sum(row.carats for row in rows)
        value = _sum(row.value_usd for row in rows)
        both = [row for row in rows if row.carats is not None and row.value_usd is not None]
        share_carats = _share(entry["world"], "carats")
        share_value = _share(entry["world"], "value_usd")
        results.append(
            {
                "participant": group[0],
                "participant_name": entry["participant"].name,
                "iso3": entry["participant"].iso3,
                "m49": entry["participant"].m49,
                **dict(zip(keys, group[1:], strict=True)),
                "carats": carats,
                "value_usd": value,
                "usd_per_carat": ratio(
                    _sum(row.value_usd for row in both), _sum(row.carats for row in both)
                ),
                "n": len(both),
                "share": share_carats,
                "share_value_usd": share_value,
                "listed_carats": carats,
                "listed_value_usd": value,
                "coverage_carats": share_carats,
                "coverage_value_usd": share_value,
                "participants": 1,
                "years": len(rows),
            }
        )
    return results


def _sum(values):
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def _share(pairs, field: str):
    """A participant's figure over the world's, across the years where both are known."""
    both = [
        (getattr(row, field), getattr(total, field))
        for row, total in pairs
        if getattr(row, field) is not None and getattr(total, field)
    ]
    if not both:
        return None
    return ratio(sum(own for own, _ in both), sum(world for _, world in both), "0.0001")
