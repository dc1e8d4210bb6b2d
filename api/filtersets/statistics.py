"""Filters for production and trade figures."""

from api import models as m

from .base import ChoiceListFilter, KPFilterSet, ParticipantOrWorldFilter, YearFilter


class ProductionFilterSet(KPFilterSet):
    participant = ParticipantOrWorldFilter(
        field_name="participant__code",
        label="These participants (codes, comma-separated); `world` for the KP's published world "
        "totals, which are left out unless asked for.",
    )
    year = YearFilter(field_name="year", label="This year.")
    year_after = YearFilter(field_name="year", lookup_expr="gte", label="From this year on.")
    year_before = YearFilter(field_name="year", lookup_expr="lte", label="Up to this year.")

    class Meta:
        model = m.Production
        fields = []

    def filter_queryset(self, queryset):
        """World totals only when asked for, so that summing a list never counts the world twice."""
        if "WORLD" not in (self.form.cleaned_data.get("participant") or []):
            queryset = queryset.exclude(participant__isnull=True)
        return super().filter_queryset(queryset)


class TradeFilterSet(ProductionFilterSet):
    flow = ChoiceListFilter(
        field_name="flow", choices=m.TradeFlow.choices, label="import or export."
    )

    class Meta:
        model = m.Trade
        fields = []
