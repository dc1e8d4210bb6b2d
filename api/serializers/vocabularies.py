"""The vocabularies: topics, and the participants' status periods as a collection."""

from rest_framework import serializers

from api import models as m

from .base import COMMON_FIELDS, Link, ShapedSerializer
from .briefs import cited_sources, participant_ref


class TopicSerializer(ShapedSerializer):
    """A subject tag of proposals and statements, with how many of each carry it."""

    url = Link(view_name="v1:topic-detail", lookup_field="slug")
    statements = serializers.IntegerField(
        source="statement_count", read_only=True, help_text="How many statements carry the tag."
    )
    proposals = serializers.IntegerField(
        source="proposal_count", read_only=True, help_text="How many proposals carry the tag."
    )

    class Meta:
        model = m.Topic
        fields = ("slug", "url", "name", "description", "statements", "proposals",
                  "created_at", "updated_at")  # fmt: skip


class StatusPeriodSerializer(ShapedSerializer):
    """A period in which a participant was suspended or had withdrawn; any other time of a
    participant's is active. Written through its participant (`status_history`)."""

    url = Link(view_name="v1:status-period-detail", lookup_field="pk")
    participant = participant_ref(help_text="The participant (code).")
    sources = cited_sources()

    class Meta:
        model = m.StatusPeriod
        fields = ("id", "url", "participant", "status", "start", "start_precision", "end",
                  "end_precision", "sources", *COMMON_FIELDS)  # fmt: skip
