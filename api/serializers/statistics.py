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


SCOPE_HELP = (
    "world: the KP's published world total (never add it to the participants' rows); "
    "participant: one participant's figure."
)


def _of_participant(source: str, help_text: str) -> serializers.CharField:
    return serializers.CharField(
        source=f"participant.{source}", read_only=True, allow_null=True, help_text=help_text
    )


PARTICIPANT_FIELDS = ("participant", "participant_name", "participant_iso3", "participant_m49")


class ProductionSerializer(ShapedSerializer):
    """Rough-diamond production of a participant (or, participant null, the world) in a year."""

    url = Link(view_name="v1:production-detail")
    scope = serializers.ChoiceField(
        choices=["world", "participant"], read_only=True, help_text=SCOPE_HELP
    )
    participant = participant_ref(
        allow_null=True,
        help_text="The participant (code); null for the KP's published world total.",
    )
    participant_name = _of_participant("name", "The participant's name; null for the world.")
    participant_iso3 = _of_participant(
        "iso3", "ISO 3166-1 alpha-3 code; null for the world and the EU, which has none."
    )
    participant_m49 = _of_participant(
        "m49", "UN M49 code (three digits); null for the world and the EU, which M49 leaves out."
    )
    reports = StatisticReportSerializer(
        many=True, read_only=True, help_text="What each source reported, conflicts included."
    )
    sources = cited_sources()

    class Meta:
        model = m.Production
        fields = ("id", "url", "scope", *PARTICIPANT_FIELDS, "year", "carats", "value_usd",
                  "reports", "sources", *COMMON_FIELDS)  # fmt: skip


class TradeSerializer(ProductionSerializer):
    """Rough-diamond imports or exports of a participant (or the world) in a year."""

    url = Link(view_name="v1:trade-detail")

    class Meta:
        model = m.Trade
        fields = ("id", "url", "scope", *PARTICIPANT_FIELDS, "year", "flow", "carats",
                  "value_usd", "certificates", "reports", "sources", *COMMON_FIELDS)  # fmt: skip


BASIS_HELP = (
    "published_total: the KP's published world total; sum_of_listed: no world total is "
    "published for the year, so carats and value_usd are null unless ?partial=include asks for "
    "the sum of the listed participants in their place."
)
PRICE_HELP = "US$ per carat over the records that have both figures only; null when none has."
N_HELP = "How many records have both figures (what usd_per_carat is taken over)."
COVERAGE_HELP = (
    "The listed figures as a share of the published world total of the same measure and years "
    "(0.25 is a quarter); null without a published total. For one participant, its share."
)


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
    usd_per_carat = _usd(help_text=PRICE_HELP)
    n = serializers.IntegerField(help_text=N_HELP)
    basis = serializers.ChoiceField(
        choices=["published_total", "sum_of_listed"], help_text=BASIS_HELP
    )
    listed_carats = _carats(help_text="Sum of the listed participants.")
    listed_value_usd = _usd(help_text="Sum of the listed participants.")
    coverage_carats = _share(COVERAGE_HELP)
    coverage_value_usd = _share(COVERAGE_HELP)
    participants = serializers.IntegerField(help_text="How many participants are listed.")


IDENTIFYING = ("year", "participant", "participant_name", "iso3", "m49")


class PerFlow(serializers.Serializer):
    flow = serializers.ChoiceField(choices=m.TradeFlow.choices)

    def get_fields(self):
        # Trade's totals are per flow: `flow` follows what they are totals of (year, or the
        # participant with its name and codes).
        fields = super().get_fields()
        flow = fields.pop("flow")
        names = list(fields)
        at = max(names.index(name) for name in IDENTIFYING if name in fields) + 1
        return {**dict(list(fields.items())[:at]), "flow": flow, **dict(list(fields.items())[at:])}


class TradeYearSummarySerializer(PerFlow, YearSummarySerializer):
    pass


class ParticipantSummarySerializer(serializers.Serializer):
    """A participant's totals over the filtered years, and its share of the world's."""

    participant = serializers.CharField(help_text="The participant (code).")
    participant_name = serializers.CharField(help_text="The participant's name.")
    iso3 = serializers.CharField(
        allow_null=True, help_text="ISO 3166-1 alpha-3 code; null for the EU, which has none."
    )
    m49 = serializers.CharField(
        allow_null=True, help_text="UN M49 code (three digits); null for the EU (code EU)."
    )
    carats = _carats()
    value_usd = _usd()
    usd_per_carat = _usd(help_text=PRICE_HELP)
    n = serializers.IntegerField(help_text=N_HELP)
    share = _share("Carats as a fraction of the published world totals of the same years.")
    share_value_usd = _share("US$ as a fraction of the published world totals of the same years.")
    listed_carats = _carats(help_text="The participant's carats over the filtered years.")
    listed_value_usd = _usd(help_text="The participant's US$ over the filtered years.")
    coverage_carats = _share(COVERAGE_HELP)
    coverage_value_usd = _share(COVERAGE_HELP)
    participants = serializers.IntegerField(help_text="1: the row is one participant's.")
    years = serializers.IntegerField(help_text="How many years the totals cover.")


class TradeParticipantSummarySerializer(PerFlow, ParticipantSummarySerializer):
    pass


class ChartRowSerializer(serializers.Serializer):
    """A row of a chart's data: a point of a series, or a bar of shares."""

    series = serializers.CharField(help_text="The line or bar the row is drawn as.")
    kind = serializers.ChoiceField(
        choices=["world_total", "sum_of_listed", "participant", "other", "uncovered"],
        help_text="world_total: the published world total; sum_of_listed: the listed sum drawn "
        "for a year without one (?partial=include); participant: one participant's; other: the "
        "listed participants not drawn on their own, together; uncovered: the world total "
        "minus every listed figure.",
    )
    scope = serializers.ChoiceField(
        choices=["world", "participant"],
        help_text="world: a world figure (never add it to participants' rows); participant: "
        "one or more participants' figures.",
    )
    participant = serializers.CharField(allow_null=True, help_text="The participant (code).")
    participant_name = serializers.CharField(allow_null=True, help_text="Its name.")
    iso3 = serializers.CharField(allow_null=True, help_text="ISO 3166-1 alpha-3; null for the EU.")
    m49 = serializers.CharField(allow_null=True, help_text="UN M49 code; null for the EU.")
    flow = serializers.CharField(allow_null=True, help_text="Trade: import or export.")
    year = serializers.IntegerField()
    metric = serializers.CharField(help_text="carats, value_usd or usd_per_carat.")
    value = _usd(help_text="The figure drawn.")
    share = _share("Of the published world total of the same measure and year (shares only).")
    basis = serializers.CharField(
        allow_null=True, help_text="For a world point: published_total or sum_of_listed."
    )
