"""What editors send: one write serializer per collection, on the shared base (base.py)."""

from .collections import (
    AffiliationWriteSerializer,
    BlocWriteSerializer,
    ChairmanshipWriteSerializer,
    MeetingWriteSerializer,
    OrganisationWriteSerializer,
    ParticipantWriteSerializer,
    PersonWriteSerializer,
    PositionWriteSerializer,
    ProductionWriteSerializer,
    ProposalWriteSerializer,
    SourceWriteSerializer,
    StandWriteSerializer,
    StatementWriteSerializer,
    StatusPeriodWriteSerializer,
    TradeWriteSerializer,
)

__all__ = [
    "AffiliationWriteSerializer",
    "BlocWriteSerializer",
    "ChairmanshipWriteSerializer",
    "MeetingWriteSerializer",
    "OrganisationWriteSerializer",
    "ParticipantWriteSerializer",
    "PersonWriteSerializer",
    "PositionWriteSerializer",
    "ProductionWriteSerializer",
    "ProposalWriteSerializer",
    "SourceWriteSerializer",
    "StandWriteSerializer",
    "StatementWriteSerializer",
    "StatusPeriodWriteSerializer",
    "TradeWriteSerializer",
]
