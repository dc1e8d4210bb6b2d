"""The views: a ViewSet per collection, named `<Model>ViewSet` (the router finds them by that
name), and the pages beside them."""

from .base import Collection, OpenView
from .collections import (
    BlocViewSet,
    ChairmanshipViewSet,
    MeetingViewSet,
    OrganisationViewSet,
    ParticipantViewSet,
    PersonViewSet,
    ProposalViewSet,
    SourceViewSet,
    StatementViewSet,
)
from .site import ChangesView, ExportView, RootView
from .statistics import ProductionViewSet, SVGRenderer, TradeViewSet

__all__ = [
    "BlocViewSet",
    "ChairmanshipViewSet",
    "ChangesView",
    "Collection",
    "ExportView",
    "MeetingViewSet",
    "OpenView",
    "OrganisationViewSet",
    "ParticipantViewSet",
    "PersonViewSet",
    "ProductionViewSet",
    "ProposalViewSet",
    "RootView",
    "SVGRenderer",
    "SourceViewSet",
    "StatementViewSet",
    "TradeViewSet",
]
