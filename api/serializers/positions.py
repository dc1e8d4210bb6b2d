"""Positions: each actor's stand on a proposal, as a record of its own and inside its proposal."""

from rest_framework import serializers

from api import models as m

from .base import COMMON_FIELDS, Link, ShapedSerializer, code, ref, refs, slug, slugs
from .briefs import (
    MeetingBriefSerializer,
    OrganisationBriefSerializer,
    ParticipantBriefSerializer,
    ProposalBriefSerializer,
    SourceBriefSerializer,
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
    participant = ref(
        ParticipantBriefSerializer, slug_field="code", allow_null=True, help_text=PARTICIPANT_HELP
    )
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
    sources = refs(SourceBriefSerializer, help_text="The public sources that back the stand.")

    class Meta:
        model = m.Position
        fields = ("id", "url", "proposal", "meeting", "topics", "participant", "participant_name",
                  "organisation", "position", "date", "date_precision", "sources",
                  *COMMON_FIELDS)  # fmt: skip


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
