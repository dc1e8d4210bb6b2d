"""What the KP does: chairs by year, meetings, proposals and each participant's position on them."""

from django.db import models

from .actors import Organisation, Participant, Person
from .base import SourcedModel, Topic, precision_constraints, precision_field, slug_validator


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", "plenary"
    INTERSESSIONAL = "intersessional", "intersessional"
    EXTRAORDINARY = "extraordinary", "extraordinary (special plenary)"
    MINISTERIAL = "ministerial", "ministerial"
    OTHER = "other", "other"


class DecisionRule(models.TextChoices):
    CONSENSUS = "consensus", "consensus"
    WRITTEN_PROCEDURE = "written_procedure", "written procedure"
    SIMPLE_MAJORITY = "simple_majority", "simple majority"


class ProposalOutcome(models.TextChoices):
    ADOPTED = "adopted", "adopted"
    REJECTED = "rejected", "rejected"
    NO_CONSENSUS = "no_consensus", "no consensus"
    NOT_DISCUSSED = "not_discussed", "not discussed"
    WITHDRAWN = "withdrawn", "withdrawn"
    PENDING = "pending", "pending"


class PositionKind(models.TextChoices):
    SUPPORT = "support", "support"
    OPPOSE = "oppose", "oppose"
    ABSTAIN = "abstain", "abstain"


class Chairmanship(SourcedModel):
    """Who chaired the KP in a calendar year, and who was vice-chair."""

    year = models.PositiveSmallIntegerField(unique=True, help_text="The calendar year.")
    chair = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chairmanships",
        help_text="The participant that chaired; null when the year had none.",
    )
    chair_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chairmanships",
        help_text="The person who chaired; null when sources do not settle who.",
    )
    vice_chair = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vice_chairmanships",
        help_text="The vice-chair, who normally chairs the next year; null when not known.",
    )

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.chair.code if self.chair else 'no chair'}"


class Meeting(SourcedModel):
    """A KP meeting (plenary, intersessional, ...): Popolo's Event."""

    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[slug_validator],
        help_text="year-kind-place, e.g. 2022-intersessional-kasane; never changes.",
    )
    kind = models.CharField(
        max_length=14, choices=MeetingKind.choices, help_text="Kind of meeting."
    )
    title = models.CharField(max_length=200, help_text="Kind, year and place in words.")
    year = models.PositiveSmallIntegerField(db_index=True, help_text="The year the meeting met.")
    start_date = models.DateField(null=True, blank=True, help_text="First day; null if unknown.")
    start_date_precision = precision_field("start_date")
    end_date = models.DateField(null=True, blank=True, help_text="Last day; null if unknown.")
    end_date_precision = precision_field("end_date")
    city = models.CharField(max_length=100, blank=True, help_text="City; empty for a virtual one.")
    country = models.CharField(  # noqa: DJ001 - the contract serves an unknown country as null
        max_length=2,
        null=True,
        blank=True,
        help_text="ISO 3166-1 alpha-2 code of the country it met in; null for a virtual meeting.",
    )
    host = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        help_text="The participant that hosted it (the EU for a meeting in one of its member "
        "states that is not a participant itself).",
    )
    chair = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_meetings",
        help_text="The participant that chaired the KP that year.",
    )
    outcome = models.TextField(blank=True, help_text="What the meeting decided or failed to.")
    communique_adopted = models.BooleanField(
        null=True,
        blank=True,
        help_text="Whether a final communiqué was adopted; null when no source says.",
    )

    class Meta:
        ordering = ["year", models.F("start_date").asc(nulls_last=True), "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="meeting_end_after_start",
            ),
            *precision_constraints("meeting", "start_date", "end_date"),
        ]

    def __str__(self) -> str:
        return self.title


class Proposal(SourcedModel):
    """A decision or proposal put to the KP: Popolo's Motion, decided by consensus, not votes."""

    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[slug_validator],
        help_text="Identifier; never changes.",
    )
    title = models.CharField(max_length=300, help_text="What was proposed, in one line.")
    summary = models.TextField(blank=True, help_text="What it would do and what happened.")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        help_text="The meeting it was tabled at; null for a written procedure or a chair's act.",
    )
    tabled_on = models.DateField(null=True, blank=True, help_text="When it was tabled.")
    tabled_on_precision = precision_field("tabled_on")
    tabled_by = models.ManyToManyField(
        Participant,
        blank=True,
        related_name="tabled_proposals",
        help_text="Participants that tabled it; empty when a chair acted alone or an observer "
        "proposed.",
    )
    tabled_by_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="tabled_proposals",
        help_text="Observers (organisations) that tabled it; empty when none did.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="proposals")
    decision_rule = models.CharField(
        max_length=17, choices=DecisionRule.choices, help_text="How the KP decided it."
    )
    outcome = models.CharField(
        max_length=13, choices=ProposalOutcome.choices, help_text="What became of it."
    )

    class Meta:
        ordering = [models.F("tabled_on").asc(nulls_last=True), "slug"]
        constraints = precision_constraints("proposal", "tabled_on")

    def __str__(self) -> str:
        return self.title


class Position(SourcedModel):
    """A stand on a proposal: Popolo's Vote, by a participant or an observer (organisation).

    Exactly one of `participant` and `organisation` is set; a bloc's members are never assumed.
    """

    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="positions",
        help_text="The proposal the stand is on.",
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        help_text="The participant that took the stand; null for an observer's stand.",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        help_text="The observer (organisation) that took the stand; null for a participant's.",
    )
    position = models.CharField(
        max_length=7,
        choices=PositionKind.choices,
        help_text="What the actor said it wanted, as a source states it: support, oppose or "
        "abstain.",
    )

    class Meta:
        ordering = [
            models.F("proposal__tabled_on").asc(nulls_last=True),
            "proposal__slug",
            models.F("participant__code").asc(nulls_last=True),
            "organisation__slug",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "participant"],
                condition=models.Q(participant__isnull=False),
                name="one_position_per_participant",
            ),
            models.UniqueConstraint(
                fields=["proposal", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="one_position_per_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(participant__isnull=True, organisation__isnull=False)
                | models.Q(participant__isnull=False, organisation__isnull=True),
                name="position_by_participant_or_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.position} {self.proposal.slug}"

    @property
    def actor(self) -> str:
        """The actor's public identifier: a participant's code or an organisation's slug."""
        return self.participant.code if self.participant_id else self.organisation.slug
