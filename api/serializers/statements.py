"""Statements, with a citation to paste, and sources."""

from django.urls import get_script_prefix
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

# Getters made per shape (the fields `shaped_fields` built) and address; a bounded number kept.
_GETTERS: dict[tuple, tuple] = {}
KEPT = 256


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
        if shape := self.context.get("shape"):
            return self.serve(rows, shape, self.context["request"])
        return self._serve(rows, self._getters(self.child.fields, rows, self.context["request"]))

    @classmethod
    def serve(cls, rows: list[dict], shape: dict, request) -> list[dict]:
        """Rows of plain values as JSON objects of the fields of `shape` (`shaped_fields`), by
        getters made once per shape and address. Only the topics read apart (not in the rows:
        SQLite) depend on the rows: those getters are made per batch."""
        key = (id(shape), request.build_absolute_uri(get_script_prefix()))
        if (kept := _GETTERS.get(key)) is not None and kept[0] is shape:
            return cls._serve(rows, kept[1])
        getters = cls._getters(shape, rows, request)
        if rows and ("topics" not in shape or columns.TOPICS in rows[0]):
            if len(_GETTERS) >= KEPT:
                _GETTERS.clear()
            _GETTERS[key] = (shape, getters)  # the shape held, so that its id stays its own
        return cls._serve(rows, getters)

    @staticmethod
    def _serve(rows: list[dict], getters: list[tuple]) -> list[dict]:
        return [{name: get(row) for name, get in getters} for row in rows]

    @classmethod
    def _getters(cls, fields: dict, rows: list[dict], request) -> list[tuple]:
        return [
            (name, cls._column(name).getter(field, rows, request)) for name, field in fields.items()
        ]

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
