"""The v1 router: every collection of the registry (api/registry.py), and the API root."""

from django.urls import path
from rest_framework.routers import SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from . import registry, views

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
    path(
        "production/chart.svg",
        views.ProductionViewSet.as_view({"get": "chart"}, renderer_classes=[views.SVGRenderer]),
        name="production-chart",
    ),
    # `/statements.csv` and `/statements/5.ndjson` as well as `?format=` and `Accept`.
    *format_suffix_patterns(router.urls, allowed=["json", "csv", "ndjson"]),
]
