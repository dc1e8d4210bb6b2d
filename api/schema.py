"""OpenAPI generation that tells the truth: `fields`, `expand`, and the problem-details errors."""

from drf_spectacular import openapi
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.utils import OpenApiParameter

from . import registry
from .problems import PROBLEM_TYPE, ProblemSerializer
from .serializers.base import Reference, _brief

WRITTEN = {"create", "update", "partial_update", "restore"}
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    location=OpenApiParameter.HEADER,
    description="Needed: the record's current ETag, from a GET of it (or the last write's "
    "answer). Without it the answer is 428; with a stale one, 412.",
)
ERRORS = {
    "400": "A query parameter or field is unknown or invalid; `errors` names it.",
    "401": "No valid editor's token (a write needs one; a read needs none, but a bad one is "
    "refused): send Authorization: Token <key> or Bearer <key>.",
    "403": "The token is valid but its user is not an editor.",
    "404": "No record has this identifier, or the page is past the end.",
    "406": "None of the formats in the Accept header can be served.",
    "409": "The change conflicts with the record: a reference to it, a reused identifier.",
    "412": "If-Match is stale: the record changed since it was read.",
    "413": "The request body is larger than 1 MiB.",
    "428": "If-Match is missing: send the record's current ETag.",
    "429": "Too many requests: wait the seconds Retry-After says.",
}
BY_METHOD = {
    "GET": ("400", "401", "404", "406", "429"),
    "POST": ("400", "401", "403", "404", "409", "413", "429"),
    "PUT": ("400", "401", "403", "404", "409", "412", "413", "428", "429"),
    "PATCH": ("400", "401", "403", "404", "409", "412", "413", "428", "429"),
    "DELETE": ("400", "401", "403", "404", "409", "412", "428", "429"),
}


TABLES = {
    "text/csv": (
        "Every matching row, no pages (a detail is one row): RFC 4180, UTF-8, one header row of "
        "the JSON field names; lists joined with ;, nested objects as parent_child columns, "
        "lists of objects as JSON; a text cell starting with = + - @ tab or CR is prefixed "
        "with '."
    ),
    "application/x-ndjson": (
        "Every matching row, no pages (a detail is one): one JSON object per line, the same "
        "objects as the JSON results."
    ),
}


BOUNDS = {
    "year": (1900, 2100),
    "year_after": (1900, 2100),
    "year_before": (1900, 2100),
    "page": (1, None),
    "page_size": (1, None),
}


def _names(parameter: str, names: list[str], description: str) -> OpenApiParameter:
    """A comma-separated list of names, as OpenAPI says it: an array in one form value."""
    return OpenApiParameter(
        parameter,
        {"type": "array", "items": {"type": "string", "enum": names}},
        style="form",
        explode=False,
        description=description,
    )


def _collection(view) -> bool:
    """Whether the view serves a collection of the registry (and not the root, export or feed)."""
    queryset = getattr(view, "queryset", None)
    return queryset is not None and queryset.model in registry.BY_MODEL


# The documentation's sections, in the order a reader needs them: the record's core first,
# statistics next, the rest of the record, then the dataset as a whole.
TAGS = [
    ("participants", "The KP's participants: states and the EU, with their status over time."),
    ("meetings", "Plenaries, intersessionals and other meetings."),
    ("proposals", "What was proposed, by whom, and what became of it."),
    ("positions", "Who backed, opposed or abstained on each proposal; voting records and "
     "agreement between actors."),
    ("statements", "What was said, by whom, for whom, at which meeting."),
    ("production", "Rough-diamond production by participant and year, with summaries and charts."),
    ("trade", "Rough-diamond imports and exports by participant and year."),
    ("organisations", "Observers, NGOs, industry bodies and agencies."),
    ("people", "Chairs, speakers and officials, with their roles."),
    ("blocs", "Groups of participants that sources say act together."),
    ("chairmanships", "Who chaired the KP each year."),
    ("status-periods", "Every suspension and withdrawal of a participant, with its dates."),
    ("sources", "The public pages every record cites."),
    ("topics", "The topics proposals and statements are tagged with."),
    ("changes", "What changed: the feed of every change, and its Atom form."),
    ("dataset", "The API's root, the whole dataset as one ZIP, and the problem types."),
]  # fmt: skip
TAG_OF_VIEW = {"AgreementView": "positions"}


class AutoSchema(openapi.AutoSchema):
    def get_auth(self):
        # Reading needs no token; writing needs an editor's (the scheme that Swagger's
        # Authorize button fills in).
        if self.method in {"GET", "HEAD", "OPTIONS"}:
            return []
        return [auth for auth in super().get_auth() if auth]

    def get_tags(self) -> list[str]:
        """The operation's section: its collection, or what it is part of."""
        name = type(self.view).__name__
        if name in TAG_OF_VIEW:
            return [TAG_OF_VIEW[name]]
        if _collection(self.view):
            return [registry.BY_MODEL[self.view.queryset.model].prefix]
        return ["changes" if "change" in name.lower() else "dataset"]

    def _is_create_operation(self) -> bool:
        # A restore answers 201 Created, as a create does: the record exists again.
        return super()._is_create_operation() or getattr(self.view, "action", None) == "restore"

    def get_response_serializers(self):
        # A write answers with the record as a GET returns it, not with what was sent.
        if _collection(self.view) and self.view.action in WRITTEN:
            return self.view.serializer_class
        return super().get_response_serializers()

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        serializer_class = getattr(self.view, "serializer_class", None)
        if not _collection(self.view) or serializer_class is None:
            return parameters
        if self.method in {"PUT", "PATCH", "DELETE"}:
            return [*parameters, IF_MATCH]
        if self.view.action not in {"list", "retrieve"}:
            return parameters
        fields = serializer_class().fields
        expandable = [name for name, field in fields.items() if _brief(field)]
        parameters = [
            *parameters,
            _names("fields", list(fields), "Only these fields, comma-separated."),
            OpenApiParameter(
                "bom",
                bool,
                description="With CSV: true (or 1) starts the file with a UTF-8 byte-order mark, "
                "for spreadsheets that need one.",
            ),
        ]
        if expandable:
            description = "Replace these references with the records' brief form, comma-separated."
            parameters.append(_names("expand", expandable, description))
        return parameters

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            low, high = BOUNDS.get(parameter["name"], (None, None))
            if parameter.get("in") == "query" and parameter["schema"].get("type") == "integer":
                parameter["schema"] |= {"minimum": low} if low else {}
                parameter["schema"] |= {"maximum": high} if high else {}
        return operation

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        content = responses.get("200", {}).get("content", {})
        for media_type, description in TABLES.items():
            if media_type in content:
                content[media_type] = {"schema": {"type": "string", "description": description}}
        if self.view.__module__.startswith("api."):
            for status in BY_METHOD.get(self.method, ()):
                description = ERRORS[status]
                response = self._get_response_for_code(
                    ProblemSerializer, status, media_types=[PROBLEM_TYPE], direction=direction
                )
                responses[status] = {**response, "description": description}
        return responses


def arrange(result, generator, request, public):
    """Postprocessing: the sections in a reader's order, and in each path reads before writes
    (Swagger lists operations as they come)."""
    result["tags"] = [{"name": name, "description": text} for name, text in TAGS]
    order = ["get", "head", "options", "post", "put", "patch", "delete"]
    for path, item in result.get("paths", {}).items():
        result["paths"][path] = dict(
            sorted(item.items(), key=lambda pair: order.index(pair[0]) if pair[0] in order else -1)
        )
    return result


class ReferenceExtension(OpenApiSerializerFieldExtension):
    """A reference is its identifier (a string), or with `?expand=` the brief form."""

    target_class = Reference

    def map_serializer_field(self, auto_schema, direction):
        brief = auto_schema.resolve_serializer(self.target.brief, direction)
        if self.target.slug_field == "id":
            identifier = {"type": "integer", "description": "Identifier (id)."}
        else:
            identifier = {"type": "string", "description": "Identifier (code or slug)."}
        if self.target.allow_null:
            identifier["nullable"] = True
        return {"oneOf": [identifier, brief.ref]}


class EditorTokenScheme(OpenApiAuthenticationExtension):
    """Editors' tokens: `Authorization: Bearer <key>` (or `Token <key>`)."""

    target_class = "api.auth.EditorTokenAuthentication"
    name = "editorToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An editor's token from `manage.py create_editor`; sent as "
            "`Authorization: Bearer <key>` or `Authorization: Token <key>`. Reading needs none.",
        }
