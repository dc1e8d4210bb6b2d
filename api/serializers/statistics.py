"""Production and trade figures, with every source's report of them."""

from rest_framework import serializers

from api import models as m

from .base import COMMON_FIELDS, Link, ShapedSerializer, slug
from .briefs import cited_sources, participant_ref


class StatisticReportSerializer(serializers.ModelSerializer):
    source = slug(help_text="The source of this report (slug).")

    class Meta:
        model = m.StatisticReport
        fields = ("reported_as", "carats", "value_usd", "certificates", "source", "confidence",
                  "note")  # fmt: skip


class ProductionSerializer(ShapedSerializer):
    """Rough-diamond production of a participant (or, participant null, the world) in a year."""

    url = Link(view_name="v1:production-detail")
    participant = participant_ref(
        allow_null=True,
        help_text="The participant (code); null for the KP's published world total.",
    )
    reports = StatisticReportSerializer(
        many=True, read_only=True, help_text="What each source reported, conflicts included."
    )
    sources = cited_sources()

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


BASIS_HELP = "published_total: the KP's published world total; sum_of_listed: the listed sum."


def _carats(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True, **kwargs)


def _usd(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True, **kwargs)


def _share(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=6, decimal_places=4, allow_null=True, help_text=help_text
    )


class YearSummarySerializer(serializers.Serializer):
    """Totals for a year: the published world total where one exists, else the listed sum."""

    year = serializers.IntegerField()
    carats = _carats()
    value_usd = _usd()
    usd_per_carat = _usd()
    basis = serializers.ChoiceField(
        choices=["published_total", "sum_of_listed"], help_text=BASIS_HELP
    )
    listed_carats = _carats(help_text="Sum of the listed participants.")
    listed_value_usd = _usd(help_text="Sum of the listed participants.")
    participants = serializers.IntegerField(help_text="How many participants are listed.")


class PerFlow(serializers.Serializer):
    flow = serializers.ChoiceField(choices=m.TradeFlow.choices)

    def get_fields(self):
        # Trade's totals are per flow: `flow` follows what they are totals of (year, participant).
        fields = super().get_fields()
        flow = fields.pop("flow")
        (first, field), *rest = fields.items()
        return {first: field, "flow": flow, **dict(rest)}


class TradeYearSummarySerializer(PerFlow, YearSummarySerializer):
    pass


class ParticipantSummarySerializer(serializers.Serializer):
    """A participant's totals over the filtered years, and its share of the world's."""

    participant = serializers.CharField(help_text="The participant (code).")
    carats = _carats()
    value_usd = _usd()
    usd_per_carat = _usd()
    share = _share("Carats as a fraction of the published world totals of the same years.")
    share_value_usd = _share("US$ as a fraction of the published world totals of the same years.")
    years = serializers.IntegerField(help_text="How many years the totals cover.")


class TradeParticipantSummarySerializer(PerFlow, ParticipantSummarySerializer):
    pass
