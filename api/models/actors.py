"""Who takes part: participants and their status periods, organisations, people, blocs."""

import datetime

from django.db import models
from django.db.models.functions import Coalesce

from .base import (
    SourcedModel,
    alpha2_validator,
    m49,
    precision_constraints,
    precision_field,
    slug_validator,
)


class ParticipantKind(models.TextChoices):
    STATE = "state", "state"
    REGIONAL_ORGANISATION = "regional_organisation", "regional organisation"


class Region(models.TextChoices):
    AFRICA = "africa", "Africa"
    AMERICAS = "americas", "Americas"
    ASIA = "asia", "Asia"
    EUROPE = "europe", "Europe"
    OCEANIA = "oceania", "Oceania"


class ParticipantStatus(models.TextChoices):
    ACTIVE = "active", "active"
    SUSPENDED = "suspended", "suspended"
    WITHDRAWN = "withdrawn", "withdrawn"


class OrganisationKind(models.TextChoices):
    CIVIL_SOCIETY = "civil_society", "civil society"
    INDUSTRY = "industry", "industry"
    RESEARCH = "research", "research"
    MEDIA = "media", "media"
    INTERGOVERNMENTAL = "intergovernmental", "intergovernmental"
    GOVERNMENT = "government", "government"


class ParticipantQuerySet(models.QuerySet):
    def with_status(self, on: datetime.date | None = None) -> "ParticipantQuerySet":
        """Annotate `status`: the status period covering the day (today by default), else active.

        A period covers the days from its start up to, not including, its end: a participant
        readmitted on 15 November 2024 is active on that day.
        """
        on = on or datetime.date.today()
        covering = (
            StatusPeriod.objects.filter(participant=models.OuterRef("pk"), start__lte=on)
            .filter(models.Q(end__isnull=True) | models.Q(end__gt=on))
            .order_by("-start")
            .values("status")[:1]
        )
        return self.annotate(
            status=Coalesce(
                models.Subquery(covering, output_field=models.CharField()),
                models.Value(ParticipantStatus.ACTIVE),
            )
        )


class Participant(SourcedModel):
    """A state or regional organisation (the EU) taking part in the KP: Popolo's Organization."""

    code = models.CharField(
        max_length=2,
        unique=True,
        validators=[alpha2_validator],
        help_text="ISO 3166-1 alpha-2 code, upper case; EU for the European Union. Never changes.",
    )
    iso3 = models.CharField(
        max_length=3,
        unique=True,
        null=True,
        blank=True,
        help_text="ISO 3166-1 alpha-3 code; null for the EU, which has none.",
    )
    name = models.CharField(max_length=200, help_text="Name in English, as the KP lists it.")
    kind = models.CharField(
        max_length=21,
        choices=ParticipantKind.choices,
        help_text="A state, or a regional organisation that speaks for its member states.",
    )
    region = models.CharField(
        max_length=8, choices=Region.choices, help_text="UN M49 continent; the EU is europe."
    )
    joined_on = models.DateField(
        null=True,
        blank=True,
        help_text="When it joined the KP (first day of the month or year if only that is known); "
        "null when no source settles it.",
    )
    joined_on_precision = precision_field("joined_on")

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = precision_constraints("participant", "joined_on")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def m49(self) -> str | None:
        """UN M49 code, three digits, from pycountry (M49 numbers a country by its ISO 3166-1
        numeric code); None for the EU, which M49 does not number (its own code is EU)."""
        return m49(self.code)


class StatusPeriod(SourcedModel):
    """A dated period in which a participant was suspended or had withdrawn."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="status_periods"
    )
    status = models.CharField(
        max_length=9,
        choices=ParticipantStatus.choices,
        help_text="The participant's status during the period.",
    )
    start = models.DateField(help_text="First day of the period.")
    start_precision = precision_field("start")
    end = models.DateField(
        null=True, blank=True, help_text="Day the period ended (exclusive); null while it lasts."
    )
    end_precision = precision_field("end")

    class Meta:
        ordering = ["participant__code", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="status_period_end_after_start",
            ),
            *precision_constraints("status_period", "start", "end"),
        ]

    def __str__(self) -> str:
        return f"{self.participant.code} {self.status} from {self.start}"


class RepresentedState(SourcedModel):
    """A member state that a regional organisation speaks for (the EU's 27)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="represented_states"
    )
    code = models.CharField(
        max_length=2, validators=[alpha2_validator], help_text="ISO 3166-1 alpha-2 code."
    )
    name = models.CharField(max_length=200, help_text="Name in English.")

    class Meta:
        ordering = ["participant__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "code"], name="represented_state_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.participant.code})"


class Organisation(SourcedModel):
    """An observer, NGO, industry body, medium or agency named in the record."""

    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[slug_validator],
        help_text="Identifier; never changes.",
    )
    name = models.CharField(max_length=200, help_text="Full name.")
    acronym = models.CharField(max_length=30, blank=True, help_text="Short name, if it has one.")
    kind = models.CharField(
        max_length=17, choices=OrganisationKind.choices, help_text="What kind of body it is."
    )
    kp_observer = models.BooleanField(
        default=False, help_text="Whether it is one of the KP's observers today."
    )
    country = models.CharField(  # noqa: DJ001 - the contract serves an unknown country as null
        max_length=2,
        null=True,
        blank=True,
        validators=[alpha2_validator],
        help_text="ISO 3166-1 alpha-2 code of its seat; null when sources do not say.",
    )
    website = models.URLField(blank=True, help_text="Home page.")

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Person(SourcedModel):
    """A person named in the record: a chair, a delegate, an NGO researcher, a journalist."""

    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[slug_validator],
        help_text="Identifier; never changes.",
    )
    name = models.CharField(max_length=200, help_text="Name as sources print it.")

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class Affiliation(SourcedModel):
    """A person's role with an organisation or a participant's government, over time."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="affiliations",
        help_text="The organisation; null for a role in a participant's government.",
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="affiliations",
        help_text="The participant whose government the person served, if any.",
    )
    role = models.CharField(
        max_length=300,
        blank=True,
        help_text="The role, as sources describe it; empty if not given.",
    )
    start = models.DateField(null=True, blank=True, help_text="When the role began, if known.")
    start_precision = precision_field("start")
    end = models.DateField(null=True, blank=True, help_text="When the role ended, if known.")
    end_precision = precision_field("end")

    class Meta:
        ordering = ["person__slug", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False)
                | models.Q(participant__isnull=False),
                name="affiliation_names_organisation_or_participant",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="affiliation_end_after_start",
            ),
            *precision_constraints("affiliation", "start", "end"),
        ]

    def __str__(self) -> str:
        return f"{self.person} - {self.role}"


class Bloc(SourcedModel):
    """An informal group of participants, such as the "Western bloc" that pushes for reform."""

    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[slug_validator],
        help_text="Identifier; never changes.",
    )
    name = models.CharField(max_length=200, help_text="Name, as sources use it.")
    description = models.TextField(blank=True, help_text="Who the bloc is and what it wants.")
    members = models.ManyToManyField(
        Participant,
        blank=True,
        related_name="blocs",
        help_text="Participants that sources name as members; never assumed.",
    )

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name
