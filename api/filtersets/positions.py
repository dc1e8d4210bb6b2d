"""Filters for positions: by actor, stand, proposal, meeting, topic, year and bloc."""

from api import models as m

from .base import ChoiceListFilter, IdentifierFilter, KPFilterSet, ParticipantFilter, YearFilter


class PositionFilterSet(KPFilterSet):
    participant = ParticipantFilter(
        field_name="participant__code", label="Stands of these participants (codes)."
    )
    organisation = IdentifierFilter(
        field_name="organisation__slug",
        model=m.Organisation,
        label="Stands of these observers (organisation slugs), e.g. kp-civil-society-coalition.",
    )
    position = ChoiceListFilter(
        field_name="position",
        choices=m.PositionKind.choices,
        label="Only these stands: support, oppose, abstain (comma-separated for several).",
    )
    proposal = IdentifierFilter(
        field_name="proposal__slug", model=m.Proposal, label="Stands on these proposals (slugs)."
    )
    meeting = IdentifierFilter(
        field_name="proposal__meeting__slug",
        model=m.Meeting,
        label="Stands on proposals tabled at these meetings (slugs).",
    )
    topic = IdentifierFilter(
        field_name="proposal__topics__slug",
        model=m.Topic,
        method="filter_topic",
        label="Stands on proposals about any of these topics (slugs), e.g. marange-zimbabwe.",
    )
    year_after = YearFilter(
        field_name="proposal__tabled_on__year",
        lookup_expr="gte",
        label="Stands on proposals tabled in this year or later.",
    )
    year_before = YearFilter(
        field_name="proposal__tabled_on__year",
        lookup_expr="lte",
        label="Stands on proposals tabled in this year or earlier.",
    )
    bloc = IdentifierFilter(
        field_name="participant__blocs__slug",
        model=m.Bloc,
        method="filter_bloc",
        label="Stands of the members of these blocs (slugs), e.g. western-bloc: each member's "
        "own stand, never one assumed for the bloc.",
    )

    class Meta:
        model = m.Position
        fields = []

    def filter_topic(self, queryset, name, value):
        links = m.Proposal.topics.through.objects.filter(topic__in=value.pks)
        return queryset.filter(proposal__in=links.values("proposal_id"))

    def filter_bloc(self, queryset, name, value):
        links = m.Bloc.members.through.objects.filter(bloc__in=value.pks)
        return queryset.filter(participant__in=links.values("participant_id"))
