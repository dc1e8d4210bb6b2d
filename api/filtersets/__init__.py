"""One FilterSet per collection; every filter is labelled, and its label documents it."""

from .actors import BlocFilterSet, OrganisationFilterSet, ParticipantFilterSet, PersonFilterSet
from .meetings import ChairmanshipFilterSet, MeetingFilterSet, ProposalFilterSet
from .statements import SourceFilterSet, StatementFilterSet
from .statistics import ProductionFilterSet, TradeFilterSet

__all__ = [
    "BlocFilterSet",
    "ChairmanshipFilterSet",
    "MeetingFilterSet",
    "OrganisationFilterSet",
    "ParticipantFilterSet",
    "PersonFilterSet",
    "ProductionFilterSet",
    "ProposalFilterSet",
    "SourceFilterSet",
    "StatementFilterSet",
    "TradeFilterSet",
]
