"""Checks of what a write says against the record: dates within their year, years within the
KP's, stands only by participants that took part then, languages that are BCP 47 tags.

Each check returns the messages for one field (empty when it holds); the write serializers name
the field. A date known only to the month or year is weighed at that precision, so that a check
refuses only what is certainly wrong."""

import datetime
import re

import langcodes
from django.db.models import Q

from api import models as m

# The record's first year: its meetings start in 2002 (fixtures/reference/kp-meetings.csv).
FIRST_YEAR = 2002


def kp_year(year: int | None) -> list[str]:
    """A year of the KP's: from its first year to the current one."""
    last = datetime.date.today().year
    if year is not None and not FIRST_YEAR <= year <= last:
        return [f"Give a year of the KP's, from {FIRST_YEAR} to {last}."]
    return []


def within_year(day: datetime.date | None, year: int | None) -> list[str]:
    """A meeting's date falls in the meeting's year."""
    if day is not None and year is not None and day.year != year:
        return [f"The date {day.isoformat()} is not in the meeting's year, {year}."]
    return []


def bcp47(tag: str | None) -> list[str]:
    """A well-formed BCP 47 tag (subtags joined by hyphens) whose subtags the IANA registry
    holds (langcodes, which would also take `en_GB`)."""
    if tag is None or (re.fullmatch(r"[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8})*", tag)
                       and langcodes.tag_is_valid(tag)):  # fmt: skip
        return []
    return [f"{tag!r} is not a BCP 47 language tag: use one such as en, fr, pt-BR or zh-Hant."]


def _cut(day: datetime.date, precision: str) -> tuple:
    """What is known of a day at a precision: its year, its month, or the day itself."""
    return {"year": (day.year,), "month": (day.year, day.month)}.get(precision, (day,))


def _coarsest(*precisions: str | None) -> str:
    order = ["day", "month", "year"]
    return max((p or "day" for p in precisions), key=order.index)


def took_part(participant: m.Participant | None, day, precision) -> list[str]:
    """A stand on a proposal tabled on `day` is a participant's only if it had certainly not
    yet to join, nor had it withdrawn (a suspended participant still speaks). Unknown dates
    pass: only what is certainly wrong is refused."""
    if participant is None or day is None:
        return []
    joined, joined_precision = participant.joined_on, participant.joined_on_precision
    if joined is not None:
        at = _coarsest(precision, joined_precision)
        if _cut(day, at) < _cut(joined, at):
            return [
                f"{participant.code} joined the KP on {joined.isoformat()} ({joined_precision}), "
                f"after the proposal was tabled ({day.isoformat()}, {precision or 'day'})."
            ]
    withdrawals = participant.status_periods.filter(
        Q(end__isnull=True) | Q(end__gt=day), status=m.ParticipantStatus.WITHDRAWN
    )
    for period in withdrawals:
        at = _coarsest(precision, period.start_precision)
        tabled, left = _cut(day, at), _cut(period.start, at)
        if tabled > left or (tabled == left and at == "day"):
            return [
                f"{participant.code} had withdrawn from the KP on {period.start.isoformat()}, "
                f"by the time the proposal was tabled ({day.isoformat()})."
            ]
    return []
