"""What was said about KP governance, word for word, by whom and where: Popolo's Speech."""

from django.db import models

from .actors import Organisation, Participant, Person
from .base import GradedModel, Topic, precision_constraints, precision_field
from .meetings import Meeting, Proposal
from .sources import Source


class Statement(GradedModel):
    """Words as a source prints them, with who said them and the source to cite."""

    text = models.TextField(help_text="The words exactly as the source prints them.")
    date = models.DateField(
        null=True,
        blank=True,
        help_text="When it was said (first day of the month or year if only that is known).",
    )
    date_precision = precision_field("date")
    speaker = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        help_text="Who spoke; null when the source names nobody.",
    )
    speaker_description = models.CharField(
        max_length=300,
        blank=True,
        help_text='Who spoke, as the source puts it when it names nobody ("a government official")',
    )
    speaker_role = models.CharField(
        max_length=300, blank=True, help_text="The speaker's role then, as the source gives it."
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        help_text="The speaker's organisation then.",
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        help_text="The participant the speaker spoke for; null for NGOs and industry.",
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        help_text="The meeting it was said at or about.",
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        help_text="The proposal it was about.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="statements")
    language = models.CharField(max_length=35, default="en", help_text="BCP 47 language tag.")
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="The source that prints the words.",
    )

    class Meta:
        ordering = [models.F("date").asc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(speaker__isnull=False) | ~models.Q(speaker_description=""),
                name="statement_has_speaker_or_description",
            ),
            *precision_constraints("statement", "date"),
        ]

    def __str__(self) -> str:
        return self.text[:80]
