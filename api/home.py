"""The front page: what the dataset is, how many records of each kind, and where to get them."""

from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import dataset, registry


@require_safe
def home(request):
    updated, version = dataset.state()
    counts = cache.get_or_set(f"home-counts-{version}", _counts, timeout=None)
    collections = [
        {
            "name": collection.prefix,
            "about": collection.about,
            "count": counts[collection.prefix],
            "url": reverse(f"v1:{collection.basename}-list"),
            "csv": reverse(f"v1:{collection.basename}-list", kwargs={"format": "csv"}),
        }
        for collection in registry.COLLECTIONS
    ]
    context = {"collections": collections, "updated": updated, "version": version}
    return render(request, "api/home.html", context)


def _counts() -> dict[str, int]:
    return {c.prefix: c.model.objects.count() for c in registry.COLLECTIONS}
