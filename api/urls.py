"""The v1 router: every collection of the registry (api/registry.py), and the API root."""

from django.urls import path
from rest_framework.routers import SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from . import registry, views
from .renderers import CSVRenderer

router = SimpleRouter()
for collection in registry.COLLECTIONS:  # each one's `<Model>ViewSet` in api.views
    viewset = getattr(views, collection.viewset_name)
    router.register(collection.prefix, viewset, basename=collection.basename)

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path(
        "export/",
        views.ExportView.as_view(collections=tuple(item[:2] for item in router.registry)),
        name="export",
    ),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("changes.atom", views.ChangesAtomView.as_view(), name="changes-atom"),
    path("agreement/", views.AgreementView.as_view(), name="agreement"),
    # Charts as SVG and their data as CSV (api/views/charts.py): `production/chart.svg`, ...
    *[
        path(
            f"{prefix}/{chart}.{extension}",
            viewset.as_view({"get": action}, renderer_classes=[renderer]),
            name=f"{prefix}-{chart}" + ("-data" if extension == "csv" else ""),
        )
        for prefix, viewset in (
            ("production", views.ProductionViewSet),
            ("trade", views.TradeViewSet),
        )
        for chart in ("chart", "shares")
        for extension, renderer, action in (
            ("svg", views.SVGRenderer, chart),
            ("csv", CSVRenderer, f"{chart}_data"),
        )
    ],
    # `/statements.csv` and `/statements/5.ndjson` as well as `?format=` and `Accept`.
    *format_suffix_patterns(router.urls, allowed=["json", "csv", "ndjson"]),
]
