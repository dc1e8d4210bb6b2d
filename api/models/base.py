"""What every record shares: timestamps, a confidence grade, a note, sources, date precision."""

import functools

import pycountry
from django.core.validators import RegexValidator
from django.db import models


class Confidence(models.TextChoices):
    VERIFIED = "verified", "verified: an official source or two independent ones"
    SINGLE_SOURCE = "single_source", "single source"
    UNCERTAIN = "uncertain", "uncertain: inferred or conflicting"


class DatePrecision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month (stored as its first day)"
    YEAR = "year", "year (stored as 1 January)"


alpha2_validator = RegexValidator(r"^[A-Z]{2}\Z", "Use an ISO 3166-1 alpha-2 code in upper case.")


@functools.cache
def m49(code: str) -> str | None:
    """The UN M49 code of an alpha-2 code, from pycountry; None for EU and unknown codes."""
    country = pycountry.countries.get(alpha_2=code) if code != "EU" else None
    return country.numeric if country else None


slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z", "Use lower-case words joined by '-'."
)


def precision_field(of: str) -> models.CharField:
    """The `<date>_precision` sibling of a date that sources may give only to month or year."""
    return models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        null=True,
        blank=True,
        help_text=f"How precisely {of} is known: day, month or year; null when it is unknown.",
    )


def precision_constraints(prefix: str, *dates: str) -> list[models.CheckConstraint]:
    """A date and its precision are both set or both empty."""
    return [
        models.CheckConstraint(
            condition=(
                models.Q(**{f"{date}__isnull": True, f"{date}_precision__isnull": True})
                | models.Q(**{f"{date}__isnull": False, f"{date}_precision__isnull": False})
            ),
            name=f"{prefix}_{date}_precision_with_date",
        )
        for date in dates
    ]


class TimestampedModel(models.Model):
    """When a record was created and last changed, in UTC."""

    created_at = models.DateTimeField(auto_now_add=True, help_text="When the record was created.")
    updated_at = models.DateTimeField(
        auto_now=True, db_index=True, help_text="When the record last changed."
    )

    class Meta:
        abstract = True


class GradedModel(TimestampedModel):
    """A record that says how sure we are of it, and what is uncertain."""

    confidence = models.CharField(
        max_length=13,
        choices=Confidence.choices,
        default=Confidence.SINGLE_SOURCE,
        db_index=True,
        help_text=(
            "verified: an official source or two independent ones; single_source; "
            "uncertain: inferred or conflicting (the note says how)."
        ),
    )
    note = models.TextField(
        blank=True, help_text="What is uncertain, other reported values, context from the sources."
    )

    class Meta:
        abstract = True


class SourcedModel(GradedModel):
    """A graded record backed by one or more public sources."""

    sources = models.ManyToManyField(
        "api.Source",
        blank=True,
        related_name="+",
        help_text="The public sources that back this record.",
    )

    class Meta:
        abstract = True


class Topic(TimestampedModel):
    """A subject tag shared by proposals and statements, such as `definition-reform`.

    Its name and description are the project's editorial vocabulary (fixtures/topics.csv), not
    facts about the KP: they say what the tag covers."""

    slug = models.SlugField(
        max_length=60, unique=True, validators=[slug_validator], help_text="The topic, as a slug."
    )
    name = models.CharField(
        max_length=120, blank=True, help_text="The topic's name; empty for a tag not yet named."
    )
    description = models.TextField(blank=True, help_text="What the tag covers.")

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug
