"""Totals of the statistics per year or participant, never taking a partial sum for the world.

Per year, the totals are the KP's published world total where one exists, else the sum of the
participants listed; `basis` says which. Per participant, `share` is of the published world
totals of the years that participant has figures for.
"""

from decimal import Decimal

from django.db.models import Count, Sum


def _ratio(numerator, denominator, places: str = "0.01"):
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places))


def by_year(listed, world, keys=("year",)) -> list[dict]:
    """One row per year (and flow, for trade): the totals, their basis, and the listed sums.

    `listed` holds the participants' rows that match the filters; `world` the published world
    totals that match them (any participant filter aside).
    """
    sums = {
        tuple(row[key] for key in keys): row
        for row in listed.values(*keys).annotate(
            listed_carats=Sum("carats"), listed_value_usd=Sum("value_usd"), participants=Count("id")
        )
    }
    totals = {tuple(getattr(row, key) for key in keys): row for row in world}
    rows = []
    for group in sorted(set(sums) | set(totals)):
        listed_row = sums.get(group, {})
        total = totals.get(group)
        carats = total.carats if total else listed_row.get("listed_carats")
        value = total.value_usd if total else listed_row.get("listed_value_usd")
        rows.append(
            {
                **dict(zip(keys, group, strict=True)),
                "carats": carats,
                "value_usd": value,
                "usd_per_carat": _ratio(value, carats),
                "basis": "published_total" if total else "sum_of_listed",
                "listed_carats": listed_row.get("listed_carats"),
                "listed_value_usd": listed_row.get("listed_value_usd"),
                "participants": listed_row.get("participants", 0),
            }
        )
    return rows


def by_participant(listed, world, keys=()) -> list[dict]:
    """One row per participant (and flow): totals over the filtered years, and shares of the
    published world totals of the same years."""
    world_by = {(row.year, *(getattr(row, key) for key in keys)): row for row in world}
    groups: dict[tuple, dict] = {}
    for row in listed.select_related("participant").order_by("participant__code", "year"):
        group = (row.participant.code, *(getattr(row, key) for key in keys))
        entry = groups.setdefault(group, {"rows": [], "world": []})
        entry["rows"].append(row)
        if (total := world_by.get((row.year, *group[1:]))) is not None:
            entry["world"].append((row, total))
    results = []
    for group, entry in groups.items():
        carats = _sum(row.carats for row in entry["rows"])
        value = _sum(row.value_usd for row in entry["rows"])
        results.append(
            {
                "participant": group[0],
                **dict(zip(keys, group[1:], strict=True)),
                "carats": carats,
                "value_usd": value,
                "usd_per_carat": _ratio(value, carats),
                "share": _share(entry["world"], "carats"),
                "share_value_usd": _share(entry["world"], "value_usd"),
                "years": len(entry["rows"]),
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
    return _ratio(sum(own for own, _ in both), sum(world for _, world in both), "0.0001")
