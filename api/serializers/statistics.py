"""Production and trade figures, with every source's report of them."""

from rest_framework import serializers

from api import models as m

from .base import COMMON_FIELDS, Link, ShapedSerializer, ref, refs, slug
from .briefs import ParticipantBriefSerializer, SourceBriefSerializer


class StatisticReportSerializer(serializers.ModelSerializer):
    source = slug(help_text="The source of this report (slug).")

    class Meta:
        model = m.StatisticReport
        fields = ("reported_as", "carats", "value_usd", "certificates", "source", "confidence",
                  "note")  # fmt: skip


class ProductionSerializer(ShapedSerializer):
    """Rough-diamond production of a participant (or, participant null, the world) in a year."""

    url = Link(view_name="v1:production-detail")
    participant = ref(
        ParticipantBriefSerializer,
        allow_null=True,
        slug_field="code",
        help_text="The participant (code); null for the KP's published world total.",
    )
    reports = StatisticReportSerializer(
        many=True, read_only=True, help_text="What each source reported, conflicts included."
    )
    sources = refs(SourceBriefSerializer, help_text="The public sources that back the record.")

    class Meta:
        model = m.Production
        fields = ("id", "url", "participant", "year", "carats", "value_usd", "reports", "sources",
                  *COMMON_FIELDS)  # fmt: skip


class TradeSerializer(ProductionSerializer):
    """Rough-diamond imports or exports of a participant (or the world) in a year."""

    url = Link(view_name="v1:trade-detail")

    class Meta:
        model = m.Trade
        fields = ("id", "url", "participant", "year", "flow", "carats", "value_usd",
                  "certificates", "reports", "sources", *COMMON_FIELDS)  # fmt: skip
