"""What was said about KP governance, word for word, by whom and where: Popolo's Speech."""

from django.db import models
from django.db.models.functions import Upper

from .actors import Organisation, Participant, Person
from .base import GradedModel, Topic, precision_constraints, precision_field
from .meetings import Meeting, Proposal
from .sources import Source


def _indexed(model, **kwargs) -> models.ForeignKey:
    """A reference from a statement, protected from deletion; without an index of its own, as
    the statement's index on it (statement_<name>, below) leads with its column."""
    return models.ForeignKey(
        model, on_delete=models.PROTECT, db_index=False, related_name="statements", **kwargs
    )


class Statement(GradedModel):
    """Words as a source prints them, with who said them and the source to cite."""

    text = models.TextField(help_text="The words exactly as the source prints them.")
    date = models.DateField(
        null=True,
        blank=True,
        help_text="When it was said (first day of the month or year if only that is known).",
    )
    date_precision = precision_field("date")
    speaker = _indexed(
        Person, null=True, blank=True, help_text="Who spoke; null when the source names nobody."
    )
    speaker_description = models.CharField(
        max_length=300,
        blank=True,
        help_text='Who spoke, as the source puts it when it names nobody ("a government official")',
    )
    speaker_role = models.CharField(
        max_length=300, blank=True, help_text="The speaker's role then, as the source gives it."
    )
    organisation = _indexed(
        Organisation, null=True, blank=True, help_text="The speaker's organisation then."
    )
    participant = _indexed(
        Participant,
        null=True,
        blank=True,
        help_text="The participant the speaker spoke for; null for NGOs and industry.",
    )
    meeting = _indexed(
        Meeting, null=True, blank=True, help_text="The meeting it was said at or about."
    )
    proposal = _indexed(Proposal, null=True, blank=True, help_text="The proposal it was about.")
    topics = models.ManyToManyField(Topic, blank=True, related_name="statements")
    language = models.CharField(max_length=35, default="en", help_text="BCP 47 language tag.")
    source = _indexed(Source, help_text="The source that prints the words.")

    class Meta:
        ordering = [models.F("date").asc(nulls_last=True), "id"]
        # At a million statements, every filter and ordering of the list reads an index: each
        # filter's leads with its column and ends with the list's order (an ascending index
        # puts nulls last on PostgreSQL, as the order does), so that a page is the first rows
        # of an index scan, not a sort of every match. The foreign keys' own indexes would
        # duplicate these (db_index=False). Topics are filtered on the link table's index;
        # on PostgreSQL a search reads the GIN index of migration 0002, and `ordering=-date`
        # the index of migration 0006 (SQLite cannot index NULLS LAST).
        indexes = [
            models.Index(fields=["date", "id"], name="statement_order"),
            *[
                models.Index(fields=[column, "date", "id"], name=f"statement_{column}")
                for column in ("speaker", "organisation", "participant", "meeting", "proposal",
                               "source", "confidence")
            ],
            # `language` matches in any case (iexact: UPPER() on PostgreSQL).
            models.Index(Upper("language"), "date", "id", name="statement_language"),
            models.Index(fields=["updated_at"], name="statement_updated_at"),
        ]  # fmt: skip
        constraints = [
            models.CheckConstraint(
                condition=models.Q(speaker__isnull=False) | ~models.Q(speaker_description=""),
                name="statement_has_speaker_or_description",
            ),
            *precision_constraints("statement", "date"),
        ]

    def __str__(self) -> str:
        return self.text[:80]
