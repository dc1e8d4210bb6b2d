"""The views: a ViewSet per collection, named `<Model>ViewSet` (the router finds them by that
name), and the pages beside them."""

from .base import Collection, OpenView, ReadOnlyCollection
from .changes import ChangesAtomView, ChangesView
from .charts import SVGRenderer
from .collections import (
    BlocViewSet,
    ChairmanshipViewSet,
    MeetingViewSet,
    OrganisationViewSet,
    ParticipantViewSet,
    PersonViewSet,
    PositionViewSet,
    ProposalViewSet,
    SourceViewSet,
    StatementViewSet,
)
from .site import ExportView, RootView, SchemaView
from .stands import AgreementView
from .statistics import ProductionViewSet, TradeViewSet
from .vocabularies import StatusPeriodViewSet, TopicViewSet

__all__ = [
    "AgreementView",
    "BlocViewSet",
    "ChairmanshipViewSet",
    "ChangesAtomView",
    "ChangesView",
    "Collection",
    "ExportView",
    "MeetingViewSet",
    "OpenView",
    "OrganisationViewSet",
    "ParticipantViewSet",
    "PersonViewSet",
    "PositionViewSet",
    "ProductionViewSet",
    "ProposalViewSet",
    "ReadOnlyCollection",
    "RootView",
    "SVGRenderer",
    "SchemaView",
    "SourceViewSet",
    "StatementViewSet",
    "StatusPeriodViewSet",
    "TopicViewSet",
    "TradeViewSet",
]
