"""Positions: each actor's stand on a proposal, as a record of its own and inside its proposal."""

import operator

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import OuterRef
from django.urls import reverse
from rest_framework import serializers

from api import models as m
from api.columns import converter

from .base import COMMON_FIELDS, Link, ShapedSerializer, code, ref, slug, slugs
from .briefs import (
    MeetingBriefSerializer,
    OrganisationBriefSerializer,
    ProposalBriefSerializer,
    cited_sources,
    participant_ref,
)

PARTICIPANT_HELP = "The participant that took the stand (code); null for an observer's stand."
ORGANISATION_HELP = "The observer that took the stand (slug); null for a participant's."


class ProposalPositionSerializer(serializers.ModelSerializer):
    """A stand inside its proposal: the same record as in /positions/, without the proposal."""

    url = Link(view_name="v1:position-detail", lookup_field="pk")
    participant = code(allow_null=True, help_text=PARTICIPANT_HELP)
    organisation = slug(allow_null=True, help_text=ORGANISATION_HELP)
    sources = slugs(help_text="The public sources that back the stand.")

    class Meta:
        model = m.Position
        fields = ("id", "url", "participant", "organisation", "position", "note", "confidence",
                  "sources")  # fmt: skip


class PositionListSerializer(serializers.ListSerializer):
    """Stands in a list. Unexpanded, the view reads them as plain values (`read`), and each
    becomes the same JSON as PositionSerializer's without a model per row; the proposals' topics
    and the stands' sources come with the rows (PostgreSQL) or in two narrow queries. Tests
    hold the two paths equal."""

    # Each served field, and the value it is read from (the proposal's, for its date).
    READS = {"id": "id", "proposal": "proposal__slug", "meeting": "proposal__meeting__slug",
             "participant": "participant__code", "participant_name": "participant__name",
             "organisation": "organisation__slug", "position": "position",
             "date": "proposal__tabled_on", "date_precision": "proposal__tabled_on_precision",
             "confidence": "confidence", "note": "note", "created_at": "created_at",
             "updated_at": "updated_at"}  # fmt: skip

    @classmethod
    def read(cls, queryset):
        """The stands of `queryset` as dicts of plain values, in its order."""
        queryset = queryset.prefetch_related(None)
        if connections[queryset.db].vendor == "postgresql":
            arrays = {
                f"{name}_slugs": ArraySubquery(
                    through.objects.filter(**{owner: OuterRef(key)}).order_by(target).values(target)
                )
                for name, (through, owner, target, key) in LINKS.items()
            }
            queryset = queryset.annotate(**arrays)
        else:
            arrays = {}
        return queryset.values(*cls.READS.values(), "proposal_id", *arrays)

    def to_representation(self, data):
        rows = data if isinstance(data, list) else list(data)
        if not rows or not isinstance(rows[0], dict):
            return super().to_representation(rows)
        fields = self.context.get("shape") or self.child.fields
        base = self.context["request"].build_absolute_uri(reverse("v1:position-list"))
        getters = []
        for name, field in fields.items():
            if name == "url":
                getters.append((name, lambda row: f"{base}{row['id']}/"))
            elif name in LINKS:
                getters.append((name, self._linked_getter(name, rows)))
            else:
                getters.append((name, _plain(field, self.READS[name])))
        return [{name: get(row) for name, get in getters} for row in rows]

    @staticmethod
    def _linked_getter(name: str, rows: list[dict]):
        """A stand's topics or sources: read with the rows, or in one query for them all."""
        if f"{name}_slugs" in rows[0]:
            return operator.itemgetter(f"{name}_slugs")
        through, owner, target, key = LINKS[name]
        found = _linked(through, owner, target, {row[key] for row in rows})
        return lambda row: found.get(row[key], [])


# A stand's proposal's topics and its sources: the links, their owner, the linked slug, and
# the stand's value that is the owner. Read with the stands on PostgreSQL (arrays of slugs),
# apart in one narrow query each elsewhere.
LINKS = {
    "topics": (m.Proposal.topics.through, "proposal_id", "topic__slug", "proposal_id"),
    "sources": (m.Position.sources.through, "position_id", "source__slug", "id"),
}


def _linked(through, owner: str, target: str, owners: set) -> dict[int, list[str]]:
    """Each owner's linked slugs, sorted, in one query."""
    found: dict[int, list[str]] = {}
    for key, slug_value in through.objects.filter(**{f"{owner}__any": owners}).values_list(
        owner, target
    ):
        found.setdefault(key, []).append(slug_value)
    return {key: sorted(values) for key, values in found.items()}


def _plain(field, column: str):
    """A getter that serves a plain value as the field would (api/columns.py's converters)."""
    convert = None if isinstance(field, serializers.RelatedField) else converter(field)
    if convert is None:  # text, numbers, and references read as their code or slug
        return lambda row: row[column]
    return lambda row: None if row[column] is None else convert(row[column])


class PositionSerializer(ShapedSerializer):
    """A stand (support, oppose, abstain) of one actor on one proposal, with its source."""

    url = Link(view_name="v1:position-detail", lookup_field="pk")
    proposal = ref(ProposalBriefSerializer, help_text="The proposal (slug).")
    meeting = ref(
        MeetingBriefSerializer,
        source="proposal.meeting",
        allow_null=True,
        help_text="The meeting the proposal was tabled at (slug), or null.",
    )
    topics = serializers.SlugRelatedField(
        source="proposal.topics",
        many=True,
        read_only=True,
        slug_field="slug",
        help_text="What the proposal is about (topic slugs).",
    )
    participant = participant_ref(allow_null=True, help_text=PARTICIPANT_HELP)
    participant_name = serializers.CharField(
        source="participant.name",
        allow_null=True,
        read_only=True,
        help_text="The participant's name, beside its code; null for an observer's stand.",
    )
    organisation = ref(OrganisationBriefSerializer, allow_null=True, help_text=ORGANISATION_HELP)
    date = serializers.DateField(
        source="proposal.tabled_on",
        allow_null=True,
        read_only=True,
        help_text="When the proposal was tabled (the stand's date as far as sources give it).",
    )
    date_precision = serializers.ChoiceField(
        source="proposal.tabled_on_precision",
        choices=m.DatePrecision.choices,
        allow_null=True,
        read_only=True,
        help_text="How precisely `date` is known: day, month or year.",
    )
    sources = cited_sources()

    class Meta:
        model = m.Position
        fields = ("id", "url", "proposal", "meeting", "topics", "participant", "participant_name",
                  "organisation", "position", "date", "date_precision", "sources",
                  *COMMON_FIELDS)  # fmt: skip
        list_serializer_class = PositionListSerializer


class CountsSerializer(serializers.Serializer):
    support = serializers.IntegerField(help_text="Stands of support.")
    oppose = serializers.IntegerField(help_text="Stands of opposition.")
    abstain = serializers.IntegerField(help_text="Abstentions.")
    total = serializers.IntegerField(help_text="All stands counted.")


class TopicCountsSerializer(CountsSerializer):
    topic = serializers.CharField(help_text="The topic (slug) of the proposals counted.")


class RecordSerializer(serializers.Serializer):
    """An actor's voting record: its stands counted overall and per topic, and the stands."""

    actor = serializers.CharField(help_text="The participant's code or the observer's slug.")
    counts = CountsSerializer(help_text="Stands per position over the filtered proposals.")
    topics = TopicCountsSerializer(
        many=True, help_text="Stands per position for each topic of the proposals."
    )
    stands = PositionSerializer(many=True, help_text="The stands behind the counts.")


class PairStandSerializer(serializers.Serializer):
    proposal = serializers.CharField(help_text="The proposal (slug).")
    a = serializers.ChoiceField(choices=m.PositionKind.choices, help_text="a's stand on it.")
    b = serializers.ChoiceField(choices=m.PositionKind.choices, help_text="b's stand on it.")


class PairSerializer(serializers.Serializer):
    """How often two actors took the same stand, and on which proposals."""

    a = serializers.CharField(help_text="One actor: a participant's code or observer's slug.")
    b = serializers.CharField(help_text="The other actor.")
    n = serializers.IntegerField(help_text="Proposals on which both took a stand.")
    same = serializers.IntegerField(help_text="Of those, the proposals with the same stand.")
    share = serializers.FloatField(allow_null=True, help_text="same / n; null when n is 0.")
    agreed_on = serializers.ListField(
        child=serializers.CharField(), help_text="The proposals (slugs) with the same stand."
    )
    differed_on = serializers.ListField(
        child=serializers.CharField(), help_text="The proposals (slugs) with different stands."
    )
    stands = PairStandSerializer(many=True, help_text="Both stands on every proposal counted.")


class CohesionProposalSerializer(serializers.Serializer):
    proposal = serializers.CharField(help_text="The proposal (slug).")
    agreed = serializers.BooleanField(help_text="Whether every member that took a stand agreed.")
    stands = serializers.DictField(
        child=serializers.ChoiceField(choices=m.PositionKind.choices),
        help_text="Each member's stand, by participant code.",
    )


class CohesionSerializer(serializers.Serializer):
    """How often a bloc's members took the same stand."""

    bloc = serializers.CharField(help_text="The bloc (slug).")
    members = serializers.ListField(
        child=serializers.CharField(), help_text="The bloc's members (codes)."
    )
    n = serializers.IntegerField(
        help_text="Proposals on which at least two members took a stand that a source states."
    )
    agreed = serializers.IntegerField(help_text="Of those, the proposals on which all agreed.")
    share = serializers.FloatField(allow_null=True, help_text="agreed / n; null when n is 0.")
    proposals = CohesionProposalSerializer(many=True, help_text="Every proposal counted.")
