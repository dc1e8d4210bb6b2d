"""One FilterSet per collection; every filter is labelled, and its label documents it."""

from .actors import BlocFilterSet, OrganisationFilterSet, ParticipantFilterSet, PersonFilterSet
from .meetings import ChairmanshipFilterSet, MeetingFilterSet, ProposalFilterSet
from .positions import PositionFilterSet
from .statements import SourceFilterSet, StatementFilterSet
from .statistics import ProductionFilterSet, TradeFilterSet
from .vocabularies import StatusPeriodFilterSet, TopicFilterSet

__all__ = [
    "BlocFilterSet",
    "ChairmanshipFilterSet",
    "MeetingFilterSet",
    "OrganisationFilterSet",
    "ParticipantFilterSet",
    "PersonFilterSet",
    "PositionFilterSet",
    "ProductionFilterSet",
    "ProposalFilterSet",
    "SourceFilterSet",
    "StatementFilterSet",
    "StatusPeriodFilterSet",
    "TopicFilterSet",
    "TradeFilterSet",
]
