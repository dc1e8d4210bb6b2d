"""Reader for kp-sources.csv: what is known of every cited page (title, publisher, date)."""

from . import parsing as p
from .plan import Plan


def pages(plan: Plan, filename: str) -> None:
    """Plan a source for every page the file lists, with its title, publisher and date.

    Read before every other file, so that what it says of a page is what is kept. An empty cell
    says only that this file does not know: another file that gives the same page's title or
    date (the seed article's, which the fact sheet verifies) fills it; where none does, it stays
    empty, never a guess.
    """
    columns = {"url", "title", "publisher", "published_on", "published_on_precision"}
    for row in plan.rows(filename, columns):
        with plan.checking(row):
            (url,) = p.urls(row["url"], "url") or [""]
            if not url:
                raise p.BadValue("url is empty")
            day, precision = p.precise_date(
                row["published_on"], row["published_on_precision"], "published_on"
            )
            plan.sources(
                [url],
                title=row["title"],
                publisher=row["publisher"],
                published_on=day,
                published_on_precision=precision,
            )
