"""The v1 router: every collection of the registry (api/registry.py), and the API root.

Each collection's routes sit under its path's prefix (`statements`), so that a request is
matched against its own collection's few patterns, not against a hundred regexes in a row.
"""

from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from . import registry, views
from .renderers import CSVRenderer
from .views import lanes

# (path, ViewSet) of every collection: each one's `<Model>ViewSet` in api.views.
COLLECTIONS = tuple((c.prefix, getattr(views, c.viewset_name)) for c in registry.COLLECTIONS)


def routes(prefix: str, viewset) -> tuple[list, list]:
    """A collection's routes from DRF's router, `/statements.csv` and `/statements/5.ndjson` as
    well as `?format=` and `Accept`: those under `<prefix>/` without it, and the list's own."""
    router = SimpleRouter()
    router.register(prefix, viewset, basename=registry.BY_PREFIX[prefix].basename)
    under, own = [], []
    for route in format_suffix_patterns(router.urls, allowed=["json", "csv", "ndjson"]):
        regex = str(route.pattern)
        if regex.startswith(f"^{prefix}/"):
            regex = "^" + regex.removeprefix(f"^{prefix}/")
            view = lanes.wrap(route.name, route.callback)
            under.append(re_path(regex, view, route.default_args, route.name))
        else:  # `statements.csv`
            own.append(route)
    return under, own


ROUTES = {prefix: routes(prefix, viewset) for prefix, viewset in COLLECTIONS}

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path(
        "export/",
        views.ExportView.as_view(collections=COLLECTIONS),
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
    *[path(f"{prefix}/", include(under)) for prefix, (under, _) in ROUTES.items()],
    *[route for _, own in ROUTES.values() for route in own],
]
