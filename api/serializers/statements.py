"""Statements, with a citation to paste, and sources."""

from rest_framework import serializers

from api import columns
from api import models as m

from .base import COMMON_FIELDS, Link, ShapedSerializer, ref, slugs
from .briefs import (
    MeetingBriefSerializer,
    OrganisationBriefSerializer,
    PersonBriefSerializer,
    ProposalBriefSerializer,
    SourceBriefSerializer,
    participant_ref,
)


class StatementListSerializer(serializers.ListSerializer):
    """Statements in a list. Unexpanded, the view reads them as plain values (`read`), and each
    becomes the same JSON as StatementSerializer's without a model instance per row: at a
    million statements, lists and exports cost a third as much. The columns, and how each is
    served from plain values, are the table in api/columns.py; tests hold the two paths equal."""

    @classmethod
    def read(cls, queryset, fields=None):
        """The statements of `queryset` as dicts of plain values, in its order: what `fields` (a
        request's shape, expanded references included) needs, or every column."""
        queryset = queryset.prefetch_related(None)
        if fields is None:  # every column (the exports, that COPY may write)
            return queryset.values(*columns.READS)
        queryset, topics = columns.with_topics(queryset) if "topics" in fields else (queryset, ())
        return queryset.values(*columns.reads(fields), *topics)

    def to_representation(self, data):
        rows = data if isinstance(data, list) else list(data)
        if not rows or not isinstance(rows[0], dict):
            return super().to_representation(rows)
        request = self.context["request"]
        fields = self.context.get("shape") or self.child.fields
        getters = [
            (name, self._column(name).getter(field, rows, request))
            for name, field in fields.items()
        ]
        return [{name: get(row) for name, get in getters} for row in rows]

    @staticmethod
    def _column(name: str) -> columns.Column:
        if name not in columns.STATEMENT:
            # A field added to StatementSerializer needs a column in api/columns.py too.
            raise LookupError(f"StatementListSerializer does not serve {name!r}.")
        return columns.STATEMENT[name]


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
    participant = participant_ref(
        allow_null=True, help_text="The participant the speaker spoke for (code), or null."
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
        list_serializer_class = StatementListSerializer
        fields = ("id", "url", "text", "date", "date_precision", "citation", "speaker",
                  "speaker_description", "speaker_role", "organisation", "participant", "meeting",
                  "proposal", "topics", "language", "source", *COMMON_FIELDS)  # fmt: skip

    def get_citation(self, statement) -> str:
        source = statement.source
        speaker = statement.speaker.name if statement.speaker else statement.speaker_description
        return columns.citation(speaker, source.title, source.publisher, source.published_on,
                        source.published_on_precision, source.url)  # fmt: skip


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
