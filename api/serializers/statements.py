"""Statements, with a citation to paste, and sources."""

from rest_framework import serializers

from api import models as m

from .base import COMMON_FIELDS, Link, ShapedSerializer, ref, slugs
from .briefs import (
    MeetingBriefSerializer,
    OrganisationBriefSerializer,
    ParticipantBriefSerializer,
    PersonBriefSerializer,
    ProposalBriefSerializer,
    SourceBriefSerializer,
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def precise(day, precision) -> str:
    """A date in words, no more precise than it is known: 9 October 2007, October 2007, 2007."""
    if day is None:
        return "undated"
    if precision == m.DatePrecision.YEAR:
        return str(day.year)
    if precision == m.DatePrecision.MONTH:
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class StatementSerializer(ShapedSerializer):
    """Words said about KP governance, exactly as the source prints them."""

    url = Link(view_name="v1:statement-detail")
    citation = serializers.SerializerMethodField(
        help_text="One line to paste: speaker, source title, publisher, date, URL."
    )
    speaker = ref(
        PersonBriefSerializer,
        allow_null=True,
        help_text="Who spoke (slug); null when the source names nobody.",
    )
    organisation = ref(
        OrganisationBriefSerializer,
        allow_null=True,
        help_text="The speaker's organisation then (slug), or null.",
    )
    participant = ref(
        ParticipantBriefSerializer,
        allow_null=True,
        slug_field="code",
        help_text="The participant the speaker spoke for (code), or null.",
    )
    meeting = ref(
        MeetingBriefSerializer,
        allow_null=True,
        help_text="The meeting it was said at or about (slug), or null.",
    )
    proposal = ref(
        ProposalBriefSerializer,
        allow_null=True,
        help_text="The proposal it was about (slug), or null.",
    )
    topics = slugs(help_text="What it is about.")
    source = ref(SourceBriefSerializer, help_text="The source that prints the words (slug).")

    class Meta:
        model = m.Statement
        fields = ("id", "url", "text", "date", "date_precision", "citation", "speaker",
                  "speaker_description", "speaker_role", "organisation", "participant", "meeting",
                  "proposal", "topics", "language", "source", *COMMON_FIELDS)  # fmt: skip

    def get_citation(self, statement) -> str:
        source = statement.source
        speaker = statement.speaker.name if statement.speaker else statement.speaker_description
        title = f"“{source.title}”" if source.title else ""
        published = precise(source.published_on, source.published_on_precision)
        parts = [speaker, title, source.publisher, published, source.url]
        return ", ".join(part for part in parts if part)


class SourceSerializer(ShapedSerializer):
    """A public page that backs facts in the record; `url` is the page itself."""

    api_url = Link(
        view_name="v1:source-detail",
        lookup_field="slug",
        help_text="This record in the API (a source's `url` is the page it names).",
    )

    class Meta:
        model = m.Source
        fields = ("slug", "api_url", "kind", "title", "publisher", "author", "published_on",
                  "published_on_precision", "url", *COMMON_FIELDS)  # fmt: skip
