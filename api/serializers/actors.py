"""Participants, organisations, people and blocs."""

from rest_framework import serializers

from api import models as m

from .base import COMMON_FIELDS, Link, Links, ShapedSerializer, code, refs, slug, slugs
from .briefs import (
    BlocBriefSerializer,
    cited_sources,
    participant_refs,
)


class StatusHistorySerializer(serializers.ModelSerializer):
    """A period of a participant's status history, inside the participant (the collection
    `status-periods` serves each period with its participant and address)."""

    sources = slugs()

    class Meta:
        model = m.StatusPeriod
        fields = ("status", "start", "start_precision", "end", "end_precision", "note",
                  "confidence", "sources")  # fmt: skip


class ParticipantSerializer(ShapedSerializer):
    """A state or regional organisation taking part in the KP."""

    url = Link(view_name="v1:participant-detail", lookup_field="code")
    status = serializers.ChoiceField(
        choices=m.ParticipantStatus.choices,
        read_only=True,
        help_text="Status today, or on the `as_of` day of a list: follows from status_history.",
    )
    status_history = StatusHistorySerializer(
        source="status_periods",
        many=True,
        read_only=True,
        help_text="Dated periods of suspension or withdrawal; any other time is active.",
    )
    represents = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        source="represented_states",
        help_text="Alpha-2 codes of the member states a regional organisation speaks for.",
    )
    m49 = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="UN M49 code, three digits as the UN writes them (024), from pycountry; null "
        "for the EU, which M49 does not number: join the EU by its code, EU.",
    )
    blocs = refs(BlocBriefSerializer, help_text="Informal blocs the participant belongs to.")
    links = Links("code", {
        "stands": ("v1:position-list", "participant"),
        "statements": ("v1:statement-list", "participant"),
        "proposals_tabled": ("v1:proposal-list", "tabled_by"),
        "chairmanships": ("v1:chairmanship-list", "chair"),
        "meetings_hosted": ("v1:meeting-list", "host"),
    }, help_text="Its stands, the statements made for it, the proposals it tabled, the years "
       "it chaired and the meetings it hosted, as lists of the API; its voting record is at "
       "`record/` under its address.")  # fmt: skip
    sources = cited_sources()

    class Meta:
        model = m.Participant
        fields = ("code", "url", "iso3", "m49", "name", "kind", "region", "joined_on",
                  "joined_on_precision", "status", "status_history", "represents", "blocs",
                  "links", "sources", *COMMON_FIELDS)  # fmt: skip


class OrganisationSerializer(ShapedSerializer):
    """An observer, NGO, industry body, medium or agency."""

    url = Link(view_name="v1:organisation-detail", lookup_field="slug")
    country = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="ISO 3166-1 alpha-2 code of its seat; null when sources do not say.",
    )
    website = serializers.CharField(read_only=True, help_text="Home page URL; empty if unknown.")
    links = Links("slug", {
        "stands": ("v1:position-list", "organisation"),
        "statements": ("v1:statement-list", "organisation"),
        "people": ("v1:person-list", "organisation"),
    }, help_text="Its stands, its statements and the people with a role in it, as lists of "
       "the API; its record of stands is at `record/` under its address.")  # fmt: skip
    sources = cited_sources()

    class Meta:
        model = m.Organisation
        fields = ("slug", "url", "name", "acronym", "kind", "kp_observer", "country", "website",
                  "links", "sources", *COMMON_FIELDS)  # fmt: skip


class AffiliationSerializer(serializers.ModelSerializer):
    organisation = slug(
        allow_null=True, help_text="The organisation (slug), or null for a government role."
    )
    participant = code(
        allow_null=True, help_text="The participant whose government the person served, if any."
    )
    sources = slugs()

    class Meta:
        model = m.Affiliation
        fields = ("organisation", "participant", "role", "start", "start_precision", "end",
                  "end_precision", "note", "confidence", "sources")  # fmt: skip


class PersonSerializer(ShapedSerializer):
    """A person named in the record, with their roles over time."""

    url = Link(view_name="v1:person-detail", lookup_field="slug")
    affiliations = AffiliationSerializer(many=True, read_only=True)
    sources = cited_sources()

    class Meta:
        model = m.Person
        fields = ("slug", "url", "name", "affiliations", "sources", *COMMON_FIELDS)


class BlocSerializer(ShapedSerializer):
    """An informal group of participants."""

    url = Link(view_name="v1:bloc-detail", lookup_field="slug")
    members = participant_refs(help_text="Members as sources name them (codes); none is assumed.")
    sources = cited_sources()

    class Meta:
        model = m.Bloc
        fields = ("slug", "url", "name", "description", "members", "sources", *COMMON_FIELDS)
