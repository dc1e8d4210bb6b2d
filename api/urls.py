"""The v1 router: every collection of the contract, and the API root."""

from django.urls import path
from rest_framework.routers import SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from . import stand_views, views

router = SimpleRouter()
router.register("participants", views.ParticipantViewSet, basename="participant")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("people", views.PersonViewSet, basename="person")
router.register("blocs", views.BlocViewSet, basename="bloc")
router.register("chairmanships", views.ChairmanshipViewSet, basename="chairmanship")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("positions", views.PositionViewSet, basename="position")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("sources", views.SourceViewSet, basename="source")
router.register("production", views.ProductionViewSet, basename="production")
router.register("trade", views.TradeViewSet, basename="trade")

collections = tuple((prefix, basename) for prefix, _, basename in router.registry)

urlpatterns = [
    path("", views.RootView.as_view(collections=collections), name="root"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("agreement/", stand_views.AgreementView.as_view(), name="agreement"),
    path(
        "production/chart.svg",
        views.ProductionViewSet.as_view({"get": "chart"}, renderer_classes=[views.SVGRenderer]),
        name="production-chart",
    ),
    # `/statements.csv` and `/statements/5.ndjson` as well as `?format=` and `Accept`.
    *format_suffix_patterns(router.urls, allowed=["json", "csv", "ndjson"]),
]
