"""What editors send, one write serializer per collection (and per nested row)."""

from rest_framework import serializers

from api import models as m

from . import facts
from .base import (
    GRADED,
    Identifier,
    RowSerializer,
    TopicsField,
    WriteSerializer,
    code,
    row_identity,
    sources,
)


def current(attrs: dict, instance, name: str):
    """A field's value after the write: as sent, else as stored (a PATCH sends a part)."""
    return attrs[name] if name in attrs else getattr(instance, name, None)


def refuse(errors: dict) -> None:
    """A 400 naming each field whose check failed, if any did."""
    if found := {name: messages for name, messages in errors.items() if messages}:
        raise serializers.ValidationError(found)


class KPYear:
    """A `year` within the KP's years."""

    def validate_year(self, year):
        if messages := facts.kp_year(year):
            raise serializers.ValidationError(messages)
        return year


class StatusPeriodWriteSerializer(RowSerializer):
    sources = sources()

    class Meta:
        model = m.StatusPeriod
        fields = ("status", "start", "start_precision", "end", "end_precision", *GRADED,
                  "sources")  # fmt: skip


class ParticipantWriteSerializer(WriteSerializer):
    identifier = "code"
    nested = {"status_periods": "participant"}
    status_history = StatusPeriodWriteSerializer(many=True, required=False, source="status_periods")
    sources = sources()

    class Meta:
        model = m.Participant
        fields = ("code", "iso3", "name", "kind", "region", "joined_on", "joined_on_precision",
                  "status_history", *GRADED, "sources")  # fmt: skip

    def to_internal_value(self, data):
        # Codes are upper case; checked for uniqueness as such.
        if isinstance(data, dict) and isinstance(data.get("code"), str):
            data = {**data, "code": data["code"].upper()}
        return super().to_internal_value(data)


class OrganisationWriteSerializer(WriteSerializer):
    sources = sources()

    class Meta:
        model = m.Organisation
        fields = ("slug", "name", "acronym", "kind", "kp_observer", "country", "website",
                  *GRADED, "sources")  # fmt: skip


class AffiliationWriteSerializer(RowSerializer):
    organisation = Identifier(m.Organisation, allow_null=True, required=False)
    participant = code(allow_null=True, required=False)
    sources = sources()

    class Meta:
        model = m.Affiliation
        fields = ("organisation", "participant", "role", "start", "start_precision", "end",
                  "end_precision", *GRADED, "sources")  # fmt: skip


class PersonWriteSerializer(WriteSerializer):
    nested = {"affiliations": "person"}
    affiliations = AffiliationWriteSerializer(many=True, required=False)
    sources = sources()

    class Meta:
        model = m.Person
        fields = ("slug", "name", "affiliations", *GRADED, "sources")


class BlocWriteSerializer(WriteSerializer):
    members = code(many=True, required=False)
    sources = sources()

    class Meta:
        model = m.Bloc
        fields = ("slug", "name", "description", "members", *GRADED, "sources")


class ChairmanshipWriteSerializer(KPYear, WriteSerializer):
    identifier = "year"
    chair = code(allow_null=True, required=False)
    chair_person = Identifier(m.Person, allow_null=True, required=False)
    vice_chair = code(allow_null=True, required=False)
    sources = sources()

    class Meta:
        model = m.Chairmanship
        fields = ("year", "chair", "chair_person", "vice_chair", *GRADED, "sources")


class MeetingWriteSerializer(KPYear, WriteSerializer):
    host = code(allow_null=True, required=False)
    chair = code(allow_null=True, required=False)
    sources = sources()

    class Meta:
        model = m.Meeting
        fields = ("slug", "kind", "title", "year", "start_date", "start_date_precision",
                  "end_date", "end_date_precision", "city", "country", "host", "chair", "outcome",
                  "communique_adopted", *GRADED, "sources")  # fmt: skip

    def validate(self, attrs):
        attrs = super().validate(attrs)
        year = current(attrs, self.instance, "year")
        refuse({name: facts.within_year(current(attrs, self.instance, name), year)
                for name in ("start_date", "end_date")})  # fmt: skip
        return attrs


class PositionWriteSerializer(RowSerializer):
    """A stand inside its proposal: a participant's or an observer's, exactly one of the two."""

    participant = code(allow_null=True, required=False)
    organisation = Identifier(m.Organisation, allow_null=True, required=False)
    sources = sources()

    class Meta:
        model = m.Position
        fields = ("participant", "organisation", "position", *GRADED, "sources")

    def validate(self, attrs):
        _one_actor(attrs)
        return super().validate(attrs)


def _one_actor(attrs, instance=None) -> None:
    participant = attrs.get("participant", getattr(instance, "participant", None))
    organisation = attrs.get("organisation", getattr(instance, "organisation", None))
    if (participant is None) == (organisation is None):
        message = "Give exactly one of participant (a code) and organisation (a slug)."
        raise serializers.ValidationError({"participant": [message], "organisation": [message]})


class StandWriteSerializer(WriteSerializer):
    """A stand written on its own, in /positions/: its proposal, its actor and what it was."""

    identifier = None
    proposal = Identifier(m.Proposal, help_text="The proposal (slug).")
    participant = code(allow_null=True, required=False)
    organisation = Identifier(m.Organisation, allow_null=True, required=False)
    sources = sources()

    class Meta:
        model = m.Position
        fields = ("proposal", "participant", "organisation", "position", *GRADED, "sources")

    def validate(self, attrs):
        _one_actor(attrs, self.instance)
        attrs = super().validate(attrs)
        proposal = current(attrs, self.instance, "proposal")
        participant = current(attrs, self.instance, "participant")
        refuse({"participant": facts.took_part(participant, *_tabled(proposal))})
        return attrs


def _tabled(proposal) -> tuple:
    return proposal.tabled_on, proposal.tabled_on_precision


class ProposalWriteSerializer(WriteSerializer):
    """A proposal and its stands, written whole or not at all; a stand given again for the same
    actor is changed in place and keeps its identifier."""

    nested = {"positions": "proposal"}
    nested_keys = {"positions": ("participant", "organisation")}
    meeting = Identifier(m.Meeting, allow_null=True, required=False)
    tabled_by = code(many=True, required=False)
    tabled_by_organisations = Identifier(m.Organisation, many=True, required=False)
    topics = TopicsField(required=False)
    positions = PositionWriteSerializer(many=True, required=False)
    sources = sources()

    class Meta:
        model = m.Proposal
        fields = ("slug", "title", "summary", "meeting", "tabled_on", "tabled_on_precision",
                  "tabled_by", "tabled_by_organisations", "topics", "decision_rule", "outcome",
                  "positions", *GRADED, "sources")  # fmt: skip

    def validate(self, attrs):
        attrs = super().validate(attrs)
        day = current(attrs, self.instance, "tabled_on")
        precision = current(attrs, self.instance, "tabled_on_precision")
        if "positions" in attrs:
            found = [{"participant": facts.took_part(row.get("participant"), day, precision)}
                     for row in attrs["positions"]]  # fmt: skip
            if any(row["participant"] for row in found):
                raise serializers.ValidationError(
                    {"positions": [{k: v for k, v in row.items() if v} for row in found]}
                )
        elif self.instance is not None and "tabled_on" in attrs:  # the stands stored must hold
            stands = self.instance.positions.exclude(participant=None).select_related("participant")
            refuse(
                {
                    "tabled_on": [
                        message
                        for stand in stands
                        for message in facts.took_part(stand.participant, day, precision)
                    ]
                }
            )
        return attrs

    def validate_positions(self, rows):
        actors = [row_identity(row, ("participant", "organisation")) for row in rows]
        if len(actors) != len(set(actors)):
            raise serializers.ValidationError("One stand per participant or organisation.")
        return rows


class StatementWriteSerializer(WriteSerializer):
    identifier = None
    speaker = Identifier(m.Person, allow_null=True, required=False)
    organisation = Identifier(m.Organisation, allow_null=True, required=False)
    participant = code(allow_null=True, required=False)
    meeting = Identifier(m.Meeting, allow_null=True, required=False)
    proposal = Identifier(m.Proposal, allow_null=True, required=False)
    topics = TopicsField(required=False)
    source = Identifier(m.Source, help_text="The source that prints the words (slug).")

    class Meta:
        model = m.Statement
        fields = ("text", "date", "date_precision", "speaker", "speaker_description",
                  "speaker_role", "organisation", "participant", "meeting", "proposal", "topics",
                  "language", "source", *GRADED)  # fmt: skip

    def validate_language(self, language):
        if messages := facts.bcp47(language):
            raise serializers.ValidationError(messages)
        return language


class SourceWriteSerializer(WriteSerializer):
    class Meta:
        model = m.Source
        fields = ("slug", "url", "kind", "title", "publisher", "author", "published_on",
                  "published_on_precision", *GRADED)  # fmt: skip


class ProductionWriteSerializer(KPYear, WriteSerializer):
    identifier = None
    participant = code(allow_null=True, help_text="Code, or null for the world total.")
    sources = sources()

    class Meta:
        model = m.Production
        fields = ("participant", "year", "carats", "value_usd", *GRADED, "sources")


class TradeWriteSerializer(ProductionWriteSerializer):
    class Meta:
        model = m.Trade
        fields = ("participant", "year", "flow", "carats", "value_usd", "certificates", *GRADED,
                  "sources")  # fmt: skip
