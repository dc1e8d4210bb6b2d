"""Statements, with a citation to paste, and sources."""

import operator

from django.urls import reverse
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

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


def citation(speaker, title, publisher, published_on, precision, url) -> str:
    """One line to paste: speaker, “source title”, publisher, date as precise as known, URL."""
    parts = [
        speaker,
        f"“{title}”" if title else "",
        publisher,
        precise(published_on, precision),
        url,
    ]
    return ", ".join(part for part in parts if part)


def _converter(field):
    """`field.to_representation` for the values a database returns, without its per-value
    overhead where it is plain: an aware moment in ISO 8601 (UTC ending in Z), choices by their
    table; None for text and whole numbers, served as the database returns them."""
    iso = str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601
    if isinstance(field, serializers.DateTimeField) and iso:
        zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
        return lambda value: (
            _moment(value, zone) if value.tzinfo else field.to_representation(value)
        )
    if isinstance(field, serializers.ChoiceField):
        return lambda value: field.choice_strings_to_values.get(str(value), value)
    if isinstance(field, serializers.CharField | serializers.IntegerField):
        return None  # the database's str or int already
    return field.to_representation


def _moment(value, zone) -> str:
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class StatementListSerializer(serializers.ListSerializer):
    """Statements in a list. Unexpanded, the view reads them as plain values (`read`), and each
    becomes the same JSON as StatementSerializer's without a model instance per row: at a
    million statements, lists and exports cost a third as much. Tests hold the two equal."""

    # What a row reads: the statement's own fields, its references' keys, what a citation needs.
    OWN = ("id", "text", "date", "date_precision", "speaker_description", "speaker_role",
           "language", *COMMON_FIELDS)  # fmt: skip
    KEYS = {"speaker": "speaker__slug", "organisation": "organisation__slug",
            "participant": "participant__code", "meeting": "meeting__slug",
            "proposal": "proposal__slug", "source": "source__slug"}  # fmt: skip
    CITED = ("speaker__name", "source__title", "source__publisher", "source__published_on",
             "source__published_on_precision", "source__url")  # fmt: skip

    @classmethod
    def read(cls, queryset):
        """The statements of `queryset` as dicts of plain values, in its order."""
        return queryset.prefetch_related(None).values(*cls.OWN, *cls.KEYS.values(), *cls.CITED)

    def to_representation(self, data):
        rows = data if isinstance(data, list) else list(data)
        if not rows or not isinstance(rows[0], dict):
            return super().to_representation(rows)
        fields = self.child.fields
        topics = self._topics([row["id"] for row in rows]) if "topics" in fields else {}
        getters = [(name, self._getter(name, field, topics)) for name, field in fields.items()]
        return [{name: get(row) for name, get in getters} for row in rows]

    def _getter(self, name: str, field, topics: dict):
        """How a row's value of `name` is served."""
        if name in self.OWN:
            if (convert := _converter(field)) is None:
                return operator.itemgetter(name)
            return lambda row: None if (value := row[name]) is None else convert(value)
        if name in self.KEYS:
            return operator.itemgetter(self.KEYS[name])
        if name == "url":
            base = self.context["request"].build_absolute_uri(reverse("v1:statement-list"))
            return lambda row: f"{base}{row['id']}/"
        if name == "citation":
            return lambda row: citation(
                row["speaker__name"] or row["speaker_description"],
                row["source__title"],
                row["source__publisher"],
                row["source__published_on"],
                row["source__published_on_precision"],
                row["source__url"],
            )
        if name == "topics":
            return lambda row: topics.get(row["id"], [])
        # A field added to StatementSerializer needs a line here too.
        raise LookupError(f"StatementListSerializer does not serve {name!r}.")

    @staticmethod
    def _topics(ids) -> dict[int, list[str]]:
        links = m.Statement.topics.through.objects.filter(statement_id__in=ids)
        found: dict[int, list[str]] = {}
        for statement, topic in links.order_by("topic__slug").values_list(
            "statement_id", "topic__slug"
        ):
            found.setdefault(statement, []).append(topic)
        return found


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
        list_serializer_class = StatementListSerializer
        fields = ("id", "url", "text", "date", "date_precision", "citation", "speaker",
                  "speaker_description", "speaker_role", "organisation", "participant", "meeting",
                  "proposal", "topics", "language", "source", *COMMON_FIELDS)  # fmt: skip

    def get_citation(self, statement) -> str:
        source = statement.source
        speaker = statement.speaker.name if statement.speaker else statement.speaker_description
        return citation(speaker, source.title, source.publisher, source.published_on,
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
