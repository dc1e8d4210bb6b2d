"""The brief form of every record: what `?expand=` puts in place of an identifier."""

from rest_framework import serializers

from api import models as m
from api import registry

from .base import Link, ref, refs


def brief(model, *fields: str, link: str = "url", doc: str | None = None) -> type:
    """`<Model>BriefSerializer`: the record's identifier, `fields`, and its address (`link`)."""
    collection = registry.BY_MODEL[model]
    key = collection.key
    route = f"v1:{collection.basename}-detail"
    address = Link(view_name=route, lookup_field=key, lookup_url_kwarg="pk" if key == "id" else key)
    meta = type("Meta", (), {"model": model, "fields": (key, *fields, link)})
    name = f"{model.__name__}BriefSerializer"
    namespace = {"Meta": meta, link: address, "__doc__": doc, "__module__": __name__}
    return type(name, (serializers.ModelSerializer,), namespace)


ParticipantBriefSerializer = brief(m.Participant, "name", "kind")
OrganisationBriefSerializer = brief(m.Organisation, "name", "acronym", "kind")
PersonBriefSerializer = brief(m.Person, "name")
BlocBriefSerializer = brief(m.Bloc, "name")
MeetingBriefSerializer = brief(m.Meeting, "title", "kind", "start_date", "start_date_precision")
ProposalBriefSerializer = brief(m.Proposal, "title", "outcome")
StatementBriefSerializer = brief(m.Statement, "date", "date_precision", "language", "text")
TopicBriefSerializer = brief(m.Topic, "name")
StatusPeriodBriefSerializer = brief(m.StatusPeriod, "status", "start", "end")
SourceBriefSerializer = brief(
    m.Source,
    "title",
    "publisher",
    "published_on",
    "published_on_precision",
    "url",
    link="api_url",
    doc="A source in brief: enough to cite it (`url` is the page itself).",
)


def cited_sources():
    """A record's `sources`: the slugs of the sources behind it, or with `?expand=` their briefs."""
    return refs(SourceBriefSerializer, help_text="The public sources that back the record.")


def participant_ref(**kwargs):
    """A reference to a participant: its code, or with `?expand=` its brief form."""
    return ref(ParticipantBriefSerializer, slug_field="code", **kwargs)


def participant_refs(**kwargs):
    """References to participants: their codes, or with `?expand=` their brief forms."""
    return refs(ParticipantBriefSerializer, slug_field="code", **kwargs)
