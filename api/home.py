"""The front page: what the dataset is, how many records of each kind, and where to get them."""

from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import dataset
from .urls import router

ABOUT = {
    "participants": "States and the EU that take part, with suspensions over time",
    "organisations": "Observers, NGOs, industry bodies, media and agencies",
    "people": "Chairs, delegates, researchers and journalists, with their roles",
    "blocs": "Informal groups of participants",
    "chairmanships": "Who chaired the KP each year, and the vice-chair",
    "meetings": "Every plenary and intersessional meeting since 2002",
    "proposals": "Decisions and proposals, with who backed and who blocked them",
    "positions": "Every stand on a proposal, by participants and observers",
    "statements": "What was said, word for word, with a citation",
    "sources": "The public pages every fact comes from",
    "production": "Rough-diamond production per participant and year",
    "trade": "Rough-diamond imports and exports per participant and year",
}


@require_safe
def home(request):
    updated, version = dataset.state()
    counts = cache.get_or_set(f"home-counts-{version}", _counts, timeout=None)
    collections = [
        {
            "name": name,
            "about": ABOUT[name],
            "count": counts[name],
            "url": reverse(f"v1:{basename}-list"),
            "csv": reverse(f"v1:{basename}-list", kwargs={"format": "csv"}),
        }
        for name, _, basename in router.registry
    ]
    context = {"collections": collections, "updated": updated, "version": version}
    return render(request, "api/home.html", context)


def _counts() -> dict[str, int]:
    return {name: viewset.queryset.model.objects.count() for name, viewset, _ in router.registry}
