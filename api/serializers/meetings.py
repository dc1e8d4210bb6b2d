"""Chairmanships, meetings, proposals and positions."""

from collections import Counter

from rest_framework import serializers

from api import models as m

from .base import COMMON_FIELDS, Link, ShapedSerializer, ref, refs, slugs
from .briefs import (
    MeetingBriefSerializer,
    OrganisationBriefSerializer,
    PersonBriefSerializer,
    ProposalBriefSerializer,
    StatementBriefSerializer,
    cited_sources,
    participant_ref,
    participant_refs,
)
from .positions import ProposalPositionSerializer


class ChairmanshipSerializer(ShapedSerializer):
    """Who chaired the KP in a year, and who was vice-chair."""

    url = Link(view_name="v1:chairmanship-detail", lookup_field="year")
    chair = participant_ref(
        allow_null=True,
        help_text="The participant that chaired (code); null when the year had none.",
    )
    chair_person = ref(
        PersonBriefSerializer,
        allow_null=True,
        help_text="The person who chaired (slug); null when sources do not settle who.",
    )
    vice_chair = participant_ref(allow_null=True, help_text="The vice-chair (code), or null.")
    sources = cited_sources()

    class Meta:
        model = m.Chairmanship
        fields = ("year", "url", "chair", "chair_person", "vice_chair", "sources", *COMMON_FIELDS)


class MeetingSerializer(ShapedSerializer):
    """A KP meeting: plenary, intersessional, extraordinary, ministerial or other."""

    url = Link(view_name="v1:meeting-detail", lookup_field="slug")
    host = participant_ref(
        allow_null=True,
        help_text="The participant that hosted it (code); null for a virtual meeting.",
    )
    chair = participant_ref(
        allow_null=True,
        help_text="The participant that chaired the KP that year (code); null if none did.",
    )
    proposals = refs(ProposalBriefSerializer, help_text="The proposals tabled at it (slugs).")
    statements = refs(
        StatementBriefSerializer, slug_field="id", help_text="The statements made at it (ids)."
    )
    sources = cited_sources()

    class Meta:
        model = m.Meeting
        fields = ("slug", "url", "kind", "title", "year", "start_date", "start_date_precision",
                  "end_date", "end_date_precision", "city", "country", "host", "chair", "outcome",
                  "communique_adopted", "proposals", "statements", "sources",
                  *COMMON_FIELDS)  # fmt: skip


class TallySerializer(serializers.Serializer):
    """Participants' stands counted by kind; derived from `positions`, never stored. Observers'
    stands are in `positions` but not counted here: observers take no part in the consensus."""

    support = serializers.IntegerField()
    oppose = serializers.IntegerField()
    abstain = serializers.IntegerField()

    def to_representation(self, proposal) -> dict[str, int]:
        counted = Counter(
            position.position for position in proposal.positions.all() if position.participant_id
        )
        return {kind: counted[kind] for kind in m.PositionKind.values}


class ProposalSerializer(ShapedSerializer):
    """A proposal or decision, with each participant's stated position."""

    url = Link(view_name="v1:proposal-detail", lookup_field="slug")
    meeting = ref(
        MeetingBriefSerializer,
        allow_null=True,
        help_text="The meeting it was tabled at (slug), or null.",
    )
    tabled_by = participant_refs(help_text="Participants that tabled it.")
    topics = slugs(help_text="What it is about.")
    tabled_by_organisations = refs(
        OrganisationBriefSerializer, help_text="Observers (organisation slugs) that tabled it."
    )
    positions = ProposalPositionSerializer(
        many=True,
        read_only=True,
        help_text="Each actor's stand, the same records as /positions/ (participants by code, "
        "observers by organisation slug).",
    )
    tally = TallySerializer(
        source="*",
        read_only=True,
        help_text="Participants' stands counted by kind; derived from `positions`, never "
        "stored. Observers' stands are listed in `positions` but not counted here.",
    )
    sources = cited_sources()

    class Meta:
        model = m.Proposal
        fields = ("slug", "url", "title", "summary", "meeting", "tabled_on", "tabled_on_precision",
                  "tabled_by", "tabled_by_organisations", "topics", "decision_rule", "outcome",
                  "positions", "tally", "sources", *COMMON_FIELDS)  # fmt: skip
