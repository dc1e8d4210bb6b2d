"""The KP domain model, split by domain; everything is importable from `api.models`."""

from .actors import (
    Affiliation,
    Bloc,
    Organisation,
    OrganisationKind,
    Participant,
    ParticipantKind,
    ParticipantStatus,
    Person,
    Region,
    RepresentedState,
    StatusPeriod,
)
from .base import Confidence, DatePrecision, Topic
from .history import Actor, Change, EditorName, Version
from .lookups import AnyOf
from .meetings import (
    Chairmanship,
    DecisionRule,
    Meeting,
    MeetingKind,
    Position,
    PositionKind,
    Proposal,
    ProposalOutcome,
)
from .sources import Source, SourceKind
from .statements import Statement
from .statistics import Production, StatisticReport, Trade, TradeFlow

__all__ = [
    "Actor",
    "Affiliation",
    "AnyOf",
    "Bloc",
    "Chairmanship",
    "Change",
    "Confidence",
    "DatePrecision",
    "DecisionRule",
    "EditorName",
    "Meeting",
    "MeetingKind",
    "Organisation",
    "OrganisationKind",
    "Participant",
    "ParticipantKind",
    "ParticipantStatus",
    "Person",
    "Position",
    "PositionKind",
    "Production",
    "Proposal",
    "ProposalOutcome",
    "Region",
    "RepresentedState",
    "Source",
    "SourceKind",
    "Statement",
    "StatisticReport",
    "StatusPeriod",
    "Topic",
    "Trade",
    "TradeFlow",
    "Version",
]
