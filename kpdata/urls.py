"""The site's URLs: the API under /api/v1/, its schema and docs, the admin and health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from api import problems
from api.health import healthz, readyz
from api.home import home
from api.views import SchemaView

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("problems/", problems.problem_types, name="problem-types"),
    path("problems/<slug:slug>", problems.explain, name="problem-type"),
    path("api/v1/", include(("api.urls", "v1"))),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    path("admin/", admin.site.urls),
]

# Errors outside the API's views (an unknown URL, a bad Host header) are problem details too.
handler400 = "api.problems.bad_request"
handler403 = "api.problems.permission_denied"
handler404 = "api.problems.page_not_found"
handler500 = "api.problems.server_error"
