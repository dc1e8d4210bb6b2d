"""Production and trade figures, with every source's report of them."""

from rest_framework import serializers

from api import models as m

from .base import COMMON_FIELDS, ShapedSerializer, code, slug, slugs
from .briefs import ParticipantBriefSerializer, SourceBriefSerializer

EXPANDABLE = {
    "participant": (ParticipantBriefSerializer, False),
    "sources": (SourceBriefSerializer, True),
}


class StatisticReportSerializer(serializers.ModelSerializer):
    source = slug(help_text="The source of this report (slug).")

    class Meta:
        model = m.StatisticReport
        fields = ("reported_as", "carats", "value_usd", "certificates", "source", "confidence",
                  "note")  # fmt: skip


class ProductionSerializer(ShapedSerializer):
    """Rough-diamond production of a participant (or, participant null, the world) in a year."""

    url = serializers.HyperlinkedIdentityField(view_name="v1:production-detail")
    participant = code(help_text="The participant (code); null for the KP's published world total.")
    reports = StatisticReportSerializer(
        many=True, read_only=True, help_text="What each source reported, conflicts included."
    )
    sources = slugs()
    expandable = EXPANDABLE

    class Meta:
        model = m.Production
        fields = ("id", "url", "participant", "year", "carats", "value_usd", "reports", "sources",
                  *COMMON_FIELDS)  # fmt: skip


class TradeSerializer(ProductionSerializer):
    """Rough-diamond imports or exports of a participant (or the world) in a year."""

    url = serializers.HyperlinkedIdentityField(view_name="v1:trade-detail")

    class Meta:
        model = m.Trade
        fields = ("id", "url", "participant", "year", "flow", "carats", "value_usd",
                  "certificates", "reports", "sources", *COMMON_FIELDS)  # fmt: skip
