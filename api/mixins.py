"""Behaviour every collection shares: strict query parameters and case-insensitive identifiers."""

from django.http import Http404
from django.utils.cache import patch_vary_headers
from rest_framework import exceptions, mixins, viewsets

SHAPING = {"fields", "expand", "format"}
LISTING = {"page", "page_size", "ordering"}


class Collection(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A read-only collection: list and detail, with every query parameter checked.

    An unknown parameter is a 400 that lists the allowed ones, so that a typo never silently
    returns unfiltered data; a repeated parameter or a NUL byte is a 400 too.
    """

    # How an identifier in the URL is normalised: participant codes are upper case, slugs lower.
    lookup_case: str | None = "lower"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_query_parameters(request)
        # Building the fields checks `fields=` and `expand=`, even when a list turns out empty.
        _ = self.get_serializer().fields

    def allowed_query_parameters(self) -> set[str]:
        if self.action != "list":
            return SHAPING
        allowed = SHAPING | LISTING
        if getattr(self, "filterset_class", None):
            allowed |= set(self.filterset_class.base_filters)
        if getattr(self, "search_fields", None):
            allowed.add("search")
        return allowed

    def check_query_parameters(self, request) -> None:
        allowed = self.allowed_query_parameters()
        errors = {}
        for name, values in request.query_params.lists():
            if name not in allowed:
                errors[name] = [f"Unknown parameter. Allowed: {', '.join(sorted(allowed))}."]
            elif len(values) > 1:
                errors[name] = ["Give it once; separate several values with commas."]
            elif any("\x00" in value for value in values):
                errors[name] = ["Must not contain NUL characters."]
            elif len(values[0]) > 2000:
                errors[name] = ["Is too long."]
        if errors:
            raise exceptions.ValidationError(errors)

    def filter_queryset(self, queryset):
        # Filters shape lists; a detail finds its record by identifier alone (a world total too).
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_object(self):
        key = self.lookup_url_kwarg or self.lookup_field
        if self.lookup_case:
            self.kwargs[key] = getattr(self.kwargs[key], self.lookup_case)()
        try:
            return super().get_object()
        except Http404:
            noun = self.get_queryset().model._meta.verbose_name
            name = "id" if key == "pk" else key
            raise exceptions.NotFound(f"No {noun} has the {name} {self.kwargs[key]}.") from None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        return response
