"""One serializer per collection, and a brief form of each for `?expand=`."""

from .actors import BlocSerializer, OrganisationSerializer, ParticipantSerializer, PersonSerializer
from .briefs import (
    BlocBriefSerializer,
    MeetingBriefSerializer,
    OrganisationBriefSerializer,
    ParticipantBriefSerializer,
    PersonBriefSerializer,
    ProposalBriefSerializer,
    SourceBriefSerializer,
    StatusPeriodBriefSerializer,
    TopicBriefSerializer,
)
from .history import ChangeSerializer
from .meetings import ChairmanshipSerializer, MeetingSerializer, ProposalSerializer
from .positions import PositionSerializer
from .statements import SourceSerializer, StatementListSerializer, StatementSerializer
from .statistics import (
    ChartRowSerializer,
    ParticipantSummarySerializer,
    ProductionSerializer,
    TradeParticipantSummarySerializer,
    TradeSerializer,
    TradeYearSummarySerializer,
    YearSummarySerializer,
)
from .vocabularies import StatusPeriodSerializer, TopicSerializer

__all__ = [
    "BlocBriefSerializer",
    "BlocSerializer",
    "ChairmanshipSerializer",
    "ChangeSerializer",
    "ChartRowSerializer",
    "MeetingBriefSerializer",
    "MeetingSerializer",
    "OrganisationBriefSerializer",
    "OrganisationSerializer",
    "ParticipantBriefSerializer",
    "ParticipantSerializer",
    "ParticipantSummarySerializer",
    "PersonBriefSerializer",
    "PersonSerializer",
    "PositionSerializer",
    "ProductionSerializer",
    "ProposalBriefSerializer",
    "ProposalSerializer",
    "SourceBriefSerializer",
    "SourceSerializer",
    "StatementListSerializer",
    "StatementSerializer",
    "StatusPeriodBriefSerializer",
    "StatusPeriodSerializer",
    "TopicBriefSerializer",
    "TopicSerializer",
    "TradeParticipantSummarySerializer",
    "TradeSerializer",
    "TradeYearSummarySerializer",
    "YearSummarySerializer",
]
