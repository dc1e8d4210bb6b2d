"""The topics' names and descriptions: the project's editorial vocabulary (fixtures/topics.csv)."""

from api import models as m

from .plan import Plan


def topics(plan: Plan, filename: str) -> None:
    """Name and describe every topic; a tag the files use without a line here is an error."""
    described = set()
    for row in plan.rows(filename, {"slug", "name", "description"}):
        with plan.checking(row):
            plan.topic(row["slug"])
            plan.get(m.Topic, row["slug"]).fields.update(
                name=row["name"], description=row["description"]
            )
            described.add(row["slug"])
    plan.errors += [
        f"{filename}: topic {slug!r} is used but has no line here"
        for slug in sorted(set(plan.records[m.Topic]) - described)
    ]
