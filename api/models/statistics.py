"""The KP's rough-diamond statistics: production and trade per participant and year."""

from django.db import models

from .actors import Participant
from .base import GradedModel, SourcedModel
from .sources import Source


class TradeFlow(models.TextChoices):
    IMPORT = "import", "import"
    EXPORT = "export", "export"


def _non_negative(prefix: str, *fields: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__gte": 0}),
            name=f"{prefix}_{field}_not_negative",
        )
        for field in fields
    ]


class Figures(SourcedModel):
    """Carats and US dollars for one year, for a participant or (participant null) the world."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_figures",
        help_text="The participant; null for the world total the KP publishes.",
    )
    year = models.PositiveSmallIntegerField(db_index=True, help_text="The calendar year.")
    carats = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Carats; null if unknown."
    )
    value_usd = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="US dollars; null if unknown.",
    )

    class Meta:
        abstract = True

    @property
    def scope(self) -> str:
        """world for the KP's published world total, participant for one participant's."""
        return "participant" if self.participant_id else "world"


class Production(Figures):
    """Rough-diamond production of a participant, or of the world, in one year."""

    class Meta:
        ordering = ["year", "participant__code"]
        verbose_name_plural = "production"
        constraints = [
            models.UniqueConstraint(fields=["participant", "year"], name="production_unique"),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(participant__isnull=True),
                name="production_world_unique",
            ),
            *_non_negative("production", "carats", "value_usd"),
        ]

    def __str__(self) -> str:
        return f"production {self.year} {self.participant.code if self.participant else 'world'}"


class Trade(Figures):
    """Rough-diamond imports or exports of a participant, or of the world, in one year."""

    flow = models.CharField(max_length=6, choices=TradeFlow.choices, help_text="import or export.")
    certificates = models.PositiveIntegerField(
        null=True, blank=True, help_text="KP certificates issued or received; null if unknown."
    )

    class Meta:
        ordering = ["year", "flow", "participant__code"]
        verbose_name_plural = "trade"
        constraints = [
            models.UniqueConstraint(fields=["participant", "year", "flow"], name="trade_unique"),
            models.UniqueConstraint(
                fields=["year", "flow"],
                condition=models.Q(participant__isnull=True),
                name="trade_world_unique",
            ),
            *_non_negative("trade", "carats", "value_usd"),
        ]

    def __str__(self) -> str:
        who = self.participant.code if self.participant else "world"
        return f"{self.flow} {self.year} {who}"


class StatisticReport(GradedModel):
    """One source's report of a production or trade figure, kept when reports disagree."""

    production = models.ForeignKey(
        Production, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    trade = models.ForeignKey(
        Trade, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reported_as = models.CharField(
        max_length=200, help_text="The participant's name as the source prints it."
    )
    carats = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    value_usd = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    certificates = models.PositiveIntegerField(null=True, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="statistic_reports")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(production__isnull=True, trade__isnull=False)
                | models.Q(production__isnull=False, trade__isnull=True),
                name="statistic_report_backs_one_figure",
            ),
            models.UniqueConstraint(
                fields=["production", "source"], name="statistic_report_production_source"
            ),
            models.UniqueConstraint(
                fields=["trade", "source"], name="statistic_report_trade_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.production or self.trade} per {self.source}"
