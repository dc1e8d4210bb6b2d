"""The site's URLs: the API under /api/v1/, its schema and docs, the admin and /healthz."""

from django.contrib import admin
from django.urls import path

from api.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
