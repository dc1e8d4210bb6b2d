"""Pages of 50 by default, up to 1000; a bad page or page size is a 400 that names it."""

from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination


def positive_int(request, name: str) -> int | None:
    """A query parameter that must be a whole number from 1, if given at all."""
    value = request.query_params.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 9 or int(value) < 1:
        raise exceptions.ValidationError({name: [f"Must be a whole number from 1, not {value!r}."]})
    return int(value)


class Pagination(PageNumberPagination):
    """`?page=N&page_size=M`: default 50, a page size above 1000 is capped at 1000."""

    page_size = 50
    max_page_size = 1000
    page_size_query_param = "page_size"
    invalid_page_message = "Page {page_number} does not exist: {message}"

    def get_page_size(self, request):
        size = positive_int(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        positive_int(request, self.page_query_param)  # "abc" or 0 is a 400; past the end a 404
        return super().paginate_queryset(queryset, request, view)
