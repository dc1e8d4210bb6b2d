"""Strict query parameters: an unknown, repeated, empty or oversized one is a 400 that says so,
so that a typo never silently returns unfiltered data."""

from rest_framework import exceptions

# Shape what is served (any read); page through a list.
SHAPING = {"fields", "expand", "format", "bom"}
LISTING = {"page", "page_size", "ordering"}
WRITES = {"create", "update", "partial_update", "destroy", "restore"}


def whole_number(request, name: str) -> int | None:
    """A query parameter that must be a whole number from 1, if it is given at all."""
    value = request.query_params.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise exceptions.ValidationError({name: [f"Must be a whole number from 1, not {value!r}."]})
    return int(value)


def choice(request, name: str, choices, default: str) -> str:
    """A query parameter that must be one of `choices`; `default` when it is not given."""
    value = request.query_params.get(name, default)
    if value not in choices:
        raise exceptions.ValidationError({name: [f"Use {', '.join(choices)}."]})
    return value


def wants_bom(request) -> bool:
    """`?bom=1` starts a CSV with a UTF-8 byte-order mark, for spreadsheets that need one."""
    value = request.query_params.get("bom", "0").lower()
    if value not in {"0", "1", "true", "false"}:
        raise exceptions.ValidationError({"bom": ["Use 1 or 0."]})
    return value in {"1", "true"}


def check(request, allowed: set[str]) -> None:
    """Every query parameter is one of `allowed`, given once, with a sensible value."""
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
        elif values[0] == "":
            errors[name] = ["Give a value, or leave the parameter out."]
    if errors:
        raise exceptions.ValidationError(errors)
    if "bom" in request.query_params:
        wants_bom(request)


class StrictParameters:
    """A collection's query parameters: its filters, the shaping and listing ones, and those of
    its extra actions; anything else is a 400 that lists the allowed ones."""

    # Query parameters of extra actions, beside the list's filters: {"summary": {"group_by"}}.
    action_parameters: dict[str, set[str]] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check(request, self.allowed_query_parameters())

    def allowed_query_parameters(self) -> set[str]:
        if self.action == "retrieve":
            return SHAPING
        if self.action == "history":
            return {"page", "page_size", "format"}
        if self.action in WRITES:
            return {"format"}
        filters = set(self.filterset_class.base_filters) if self.filterset_class else set()
        if self.action != "list":  # an extra action of the collection, such as a summary
            return filters | self.action_parameters.get(self.action, set())
        allowed = SHAPING | LISTING | filters
        if getattr(self, "search_fields", None):
            allowed.add("search")
        return allowed
