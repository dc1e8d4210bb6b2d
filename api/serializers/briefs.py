"""The brief form of every record: what `?expand=` puts in place of an identifier."""

from rest_framework import serializers

from api import models as m

from .base import Link


class ParticipantBriefSerializer(serializers.ModelSerializer):
    url = Link(view_name="v1:participant-detail", lookup_field="code")

    class Meta:
        model = m.Participant
        fields = ("code", "name", "kind", "url")


class OrganisationBriefSerializer(serializers.ModelSerializer):
    url = Link(view_name="v1:organisation-detail", lookup_field="slug")

    class Meta:
        model = m.Organisation
        fields = ("slug", "name", "acronym", "kind", "url")


class PersonBriefSerializer(serializers.ModelSerializer):
    url = Link(view_name="v1:person-detail", lookup_field="slug")

    class Meta:
        model = m.Person
        fields = ("slug", "name", "url")


class BlocBriefSerializer(serializers.ModelSerializer):
    url = Link(view_name="v1:bloc-detail", lookup_field="slug")

    class Meta:
        model = m.Bloc
        fields = ("slug", "name", "url")


class MeetingBriefSerializer(serializers.ModelSerializer):
    url = Link(view_name="v1:meeting-detail", lookup_field="slug")

    class Meta:
        model = m.Meeting
        fields = ("slug", "title", "kind", "start_date", "start_date_precision", "url")


class ProposalBriefSerializer(serializers.ModelSerializer):
    url = Link(view_name="v1:proposal-detail", lookup_field="slug")

    class Meta:
        model = m.Proposal
        fields = ("slug", "title", "outcome", "url")


class SourceBriefSerializer(serializers.ModelSerializer):
    """A source in brief: enough to cite it (`url` is the page itself)."""

    api_url = Link(view_name="v1:source-detail", lookup_field="slug")

    class Meta:
        model = m.Source
        fields = ("slug", "title", "publisher", "published_on", "published_on_precision", "url",
                  "api_url")  # fmt: skip
