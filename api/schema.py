"""OpenAPI generation that tells the truth: `fields`, `expand`, and the problem-details errors."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiParameter

from .mixins import Collection
from .problems import PROBLEM_TYPE, ProblemSerializer
from .serializers.base import Reference, _brief

ERRORS = {
    "400": "A query parameter is unknown, repeated or has an invalid value; `errors` names it.",
    "404": "No record has this identifier, or the page is past the end.",
    "406": "None of the formats in the Accept header can be served.",
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


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        serializer_class = getattr(self.view, "serializer_class", None)
        if not isinstance(self.view, Collection) or serializer_class is None:
            return parameters
        fields = serializer_class().fields
        names = ", ".join(fields)
        expandable = ", ".join(name for name, field in fields.items() if _brief(field)) or "none"
        return [
            *parameters,
            OpenApiParameter(
                "fields",
                str,
                description=f"Only these fields, comma-separated. Fields: {names}.",
            ),
            OpenApiParameter(
                "bom",
                bool,
                description="With CSV: 1 starts the file with a UTF-8 byte-order mark, for "
                "spreadsheets that need one.",
            ),
            OpenApiParameter(
                "expand",
                str,
                description="Replace these references with the referenced records' brief form, "
                f"comma-separated. Expandable: {expandable}.",
            ),
        ]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        content = responses.get("200", {}).get("content", {})
        for media_type, description in TABLES.items():
            if media_type in content:
                content[media_type] = {"schema": {"type": "string", "description": description}}
        if isinstance(self.view, Collection):
            for status, description in ERRORS.items():
                response = self._get_response_for_code(
                    ProblemSerializer, status, media_types=[PROBLEM_TYPE], direction=direction
                )
                responses[status] = {**response, "description": description}
        return responses


class ReferenceExtension(OpenApiSerializerFieldExtension):
    """A reference is its identifier (a string), or with `?expand=` the brief form."""

    target_class = Reference

    def map_serializer_field(self, auto_schema, direction):
        brief = auto_schema.resolve_serializer(self.target.brief, direction)
        identifier = {"type": "string", "description": "Identifier (code or slug)."}
        if self.target.allow_null:
            identifier["nullable"] = True
        return {"oneOf": [identifier, brief.ref]}
