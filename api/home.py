"""The front page: what the dataset is, how many records of each kind, and where to get them.

Every figure it shows is the count of the list its link gives, counted by that list's own
filters: a collection's plain list, and the records that list leaves out (former participants,
the KP's published world totals) apart, each with the query that lists them."""

from urllib.parse import urlencode

from django.core.cache import cache
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import dataset, registry, views

# What a collection's plain list leaves out, shown apart: (what they are, the query for them).
APART = {
    "participants": ("former participants, now represented by the EU", {"status": "withdrawn"}),
    "production": ("published world totals", {"participant": "world"}),
    "trade": ("published world totals", {"participant": "world"}),
}


@require_safe
def home(request):
    updated, version = dataset.state()
    counts = cache.get_or_set(f"home-counts-{version}", _counts, timeout=None)
    collections = []
    for collection in registry.COLLECTIONS:
        url = reverse(f"v1:{collection.basename}-list")
        apart = None
        if collection.prefix in APART:
            label, query = APART[collection.prefix]
            apart = {"label": label, "count": counts[collection.prefix][1],
                     "url": f"{url}?{urlencode(query)}"}  # fmt: skip
        collections.append({
            "name": collection.prefix,
            "about": collection.about,
            "count": counts[collection.prefix][0],
            "url": url,
            "apart": apart,
            "csv": reverse(f"v1:{collection.basename}-list", kwargs={"format": "csv"}),
        })  # fmt: skip
    context = {"collections": collections, "updated": updated, "version": version}
    return render(request, "api/home.html", context)


def _counts() -> dict[str, tuple[int, int | None]]:
    """Per collection, how many records its plain list gives, and how many it leaves out."""
    counts = {}
    for collection in registry.COLLECTIONS:
        viewset = getattr(views, collection.viewset_name)
        apart = APART.get(collection.prefix)
        counts[collection.prefix] = (
            _listed(viewset, {}),
            _listed(viewset, apart[1]) if apart else None,
        )
    return counts


def _listed(viewset, query: dict) -> int:
    """How many records the collection's list gives for this query, by its own filters."""
    filters = viewset.filterset_class(QueryDict(urlencode(query)), queryset=viewset.queryset.all())
    return filters.qs.count()
