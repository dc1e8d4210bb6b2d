"""Readers for the statistics: figures per participant (or world) and year, and their reports."""

from api import models as m

from . import parsing as p
from .plan import Plan, Ref

FLOWS = ("production", *m.TradeFlow.values)


def _figure(flow: str, year: int, code: str) -> tuple[type, tuple]:
    if flow == "production":
        return m.Production, (code, year)
    return m.Trade, (code, year, flow)


def figures(plan: Plan, filename: str) -> None:
    """One record per (flow, year, participant); no participant is the published world total."""
    columns = {"flow", "year", "participant", "carats", "value_usd", "certificates"}
    for row in plan.rows(filename, columns | {"confidence", "note", "sources"}):
        with plan.checking(row):
            flow = p.choice(row["flow"], FLOWS, "flow")
            year = p.year(row["year"])
            code = row["participant"]  # read as text: Namibia's NA is a code, not a missing value
            fields = {
                "participant_id": plan.optional_ref(m.Participant, code, "participant"),
                "year": year,
                "carats": p.amount(row["carats"], "carats"),
                "value_usd": p.amount(row["value_usd"], "value_usd"),
                "confidence": p.confidence(row["confidence"]),
                "note": row["note"],
            }
            certificates = p.count(row["certificates"], "certificates")
            if flow == "production":
                if certificates is not None:
                    raise p.BadValue("certificates are counted for trade, not production")
            else:
                fields |= {"flow": flow, "certificates": certificates}
            model, ident = _figure(flow, year, code)
            urls = p.urls(row["sources"])
            if not urls:
                raise p.BadValue("sources is empty: every record cites at least one source")
            plan.add(model, ident, fields, row.origin).link("sources", *plan.sources(urls))


def reports(plan: Plan, filename: str) -> None:
    """Every source's report of a figure, kept beside the figure, conflicts included."""
    columns = {"flow", "year", "participant", "iso2", "carats", "value_usd", "certificates"}
    columns |= {"source_url", "publisher", "published_on", "confidence", "note"}
    for row in plan.rows(filename, columns):
        with plan.checking(row):
            flow = p.choice(row["flow"], FLOWS, "flow")
            model, ident = _figure(flow, p.year(row["year"]), row["iso2"])
            if plan.get(model, ident) is None:
                raise p.BadValue(
                    f"no row of kp-statistics.csv for {flow} {row['year']} {row['iso2'] or 'world'}"
                )
            source = plan.cited_source(row)
            figure = Ref(model, ident)
            fields = {
                "production_id": figure if model is m.Production else None,
                "trade_id": figure if model is m.Trade else None,
                "reported_as": row["participant"],
                "carats": p.amount(row["carats"], "carats"),
                "value_usd": p.amount(row["value_usd"], "value_usd"),
                "certificates": p.count(row["certificates"], "certificates"),
                "source_id": source,
                "confidence": p.confidence(row["confidence"]),
                "note": row["note"],
            }
            plan.add(m.StatisticReport, (model.__name__, ident, source.ident), fields, row.origin)
