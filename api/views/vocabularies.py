"""The vocabularies' ViewSets: topics and status periods, read only (a status period is written
through its participant's `status_history`, and its changes are in the participant's history)."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .. import filtersets
from .. import models as m
from .. import serializers as s
from .base import ReadOnlyCollection
from .collections import NUMBER, SLUG


def tagged(through) -> Coalesce:
    """How many records the link table tags with the topic: a subquery per row, no join."""
    counted = (
        through.objects.filter(topic=OuterRef("pk"))
        .order_by()
        .values("topic")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class TopicViewSet(ReadOnlyCollection):
    """The topics that proposals and statements are tagged with: what each covers, and how many
    statements and proposals carry it. A write that tags a record with a new slug adds it."""

    queryset = m.Topic.objects.annotate(
        statement_count=tagged(m.Statement.topics.through),
        proposal_count=tagged(m.Proposal.topics.through),
    )
    serializer_class = s.TopicSerializer
    filterset_class = filtersets.TopicFilterSet
    ordering_fields = ("slug", "name")
    search_fields = ("slug", "name", "description")
    lookup_field = "slug"
    lookup_value_regex = SLUG


class StatusPeriodViewSet(ReadOnlyCollection):
    """The periods in which a participant was suspended or had withdrawn, each with its sources:
    `?status=suspended` lists every suspension there has been, `?active_on=` those in force on a
    day. Read only: they are written as their participant's `status_history`."""

    queryset = m.StatusPeriod.objects.select_related("participant").prefetch_related("sources")
    serializer_class = s.StatusPeriodSerializer
    filterset_class = filtersets.StatusPeriodFilterSet
    ordering_fields = ("id", "start", "end", "status")
    lookup_value_regex = NUMBER
    lookup_case = None
