"""Pages of 50 by default, up to 1000; a bad page or page size is a 400 that names it."""

from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination


def whole_number(request, name: str) -> int | None:
    """A query parameter that must be a whole number from 1, if it is given at all."""
    value = request.query_params.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise exceptions.ValidationError({name: [f"Must be a whole number from 1, not {value!r}."]})
    return int(value)


class Pagination(PageNumberPagination):
    """`?page=N&page_size=M`: 50 rows a page by default; a larger size than 1000 is capped."""

    page_size = 50
    max_page_size = 1000
    page_size_query_param = "page_size"
    invalid_page_message = "Page {page_number} does not exist: {message}"

    def get_page_size(self, request):
        size = whole_number(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        whole_number(request, self.page_query_param)  # "abc" or 0 is a 400; past the end, a 404
        return super().paginate_queryset(queryset, request, view)
