"""Pages of 50 by default, up to 1000; a bad page or page size is a 400 that names it.

At a million rows, counting, filtering and skipping rows cost more than the page itself, so all
three are kept per dataset version: a count is taken once per version and query; a page's rows
are found by their keys alone, read a window at a time from a narrow query (so a client walking
page after page skips rows once per 10,000, not once a page, and a popular list is filtered and
searched once per version), then read by key with everything the page shows.
"""

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from . import dataset, metrics
from .parameters import whole_number

# Keys are read and kept a window at a time: 1,000 near the start, where most clients read and
# a list's first request should cost little more than its page; 10,000 further on, where a
# client walking the pages skips rows once per 10,000. Both are at least the largest page.
SMALL, LARGE = 1_000, 10_000


class VersionedPaginator(Paginator):
    """A paginator whose count and pages' keys are cached for a dataset version (its key)."""

    def __init__(self, object_list, per_page, dataset_key: str, read=None, unfiltered=None):
        super().__init__(object_list, per_page)
        self.dataset_key = dataset_key
        self.read = read or (lambda queryset: queryset)  # models, or the view's plain values
        # Where a page's rows are read by their keys alone (the view's queryset before its
        # filters), when the filters do not shape the rows: the keys were found with them.
        self.unfiltered = unfiltered

    @cached_property
    def _pks(self):
        """The list's keys in its order: what its count and its windows of keys are taken of."""
        return self.object_list.values_list("pk", flat=True)

    @cached_property
    def _list(self) -> str:
        """The list's SQL and the dataset's key, digested: compiled once, without the joins its
        rows need."""
        try:
            sql, params = self._pks.query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing (`code IN ()`)
            sql, params = "nothing", ()
        return hashlib.sha256(repr((self.dataset_key, sql, params)).encode()).hexdigest()

    def _key(self, *parts) -> str:
        return f"page:{self._list}:{':'.join(map(str, parts))}"

    @cached_property
    def count(self) -> int:
        return metrics.get_or_make(cache, "count", self._key("count"), self._count, 3600)

    def _count(self) -> int:
        """A list that its first window of keys holds whole is counted by it (a page of it
        needs the window anyway); a longer one, by the database."""
        first = self._window(0, SMALL)
        return len(first) if len(first) < SMALL else self._pks.count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        keys = self._keys(bottom, top)
        # With the list's filters, where they may shape the rows (a participant's status as of
        # a day); by key, they cost a few milliseconds instead of the planning of the whole.
        chosen = self.object_list if self.unfiltered is None else self.unfiltered
        rows = self.read(chosen.filter(pk__any=keys)) if keys else []
        found = {_row_key(row): row for row in rows}
        return self._get_page([found[key] for key in keys if key in found], number, self)

    def _keys(self, bottom: int, top: int) -> list:
        """The keys of rows bottom to top, from the windows of keys that hold them."""
        keys, position = [], bottom
        while position < top:
            start, size = _window_of(position)
            keys += self._window(start, size)[position - start : top - start]
            position = start + size
        return keys

    def _window(self, start: int, size: int) -> list:
        """`size` keys from row `start` on, kept for the dataset's version."""
        return metrics.get_or_make(
            cache, "keys", self._key("keys", start, size),
            lambda: list(self._pks[start : start + size]), 3600,
        )  # fmt: skip


def _window_of(position: int) -> tuple[int, int]:
    """The window of keys that holds row `position`: its first row and its size."""
    size = SMALL if position < LARGE else LARGE
    return position - position % size, size


def _row_key(row):
    return row["id"] if isinstance(row, dict) else row.pk


class Pagination(PageNumberPagination):
    """`?page=N&page_size=M`: 50 rows a page by default; a larger size than 1000 is capped."""

    page_size = 50
    max_page_size = 1000
    page_size_query_param = "page_size"
    invalid_page_message = "Page {page_number} does not exist: {message}"

    def django_paginator_class(self, queryset, page_size) -> VersionedPaginator:
        # The view's dataset key (read once for its ETag), else the current one.
        dataset_key = getattr(self.view, "dataset_key", None) or dataset.key()
        # A collection's list may read its rows its own way; its other pages (history) not.
        listing = getattr(self.view, "action", None) == "list"
        read = self.view.read if listing else None
        alone = listing and getattr(self.view, "pages_by_keys_alone", False)
        unfiltered = self.view.get_queryset() if alone else None
        return VersionedPaginator(queryset, page_size, dataset_key, read, unfiltered)

    def get_page_size(self, request):
        size = whole_number(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        whole_number(request, self.page_query_param)  # "abc" or 0 is a 400; past the end, a 404
        self.view = view
        return super().paginate_queryset(queryset, request, view)
