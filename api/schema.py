"""OpenAPI generation that tells the truth: `fields`, `expand`, and the problem-details errors."""

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiParameter

from .mixins import Collection
from .problems import PROBLEM_TYPE, ProblemSerializer

ERRORS = {
    "400": "A query parameter is unknown, repeated or has an invalid value; `errors` names it.",
    "404": "No record has this identifier, or the page is past the end.",
    "406": "None of the formats in the Accept header can be served.",
}


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        serializer_class = getattr(self.view, "serializer_class", None)
        if not isinstance(self.view, Collection) or serializer_class is None:
            return parameters
        names = ", ".join(serializer_class().fields)
        expandable = ", ".join(serializer_class.expandable) or "none"
        return [
            *parameters,
            OpenApiParameter(
                "fields",
                str,
                description=f"Only these fields, comma-separated. Fields: {names}.",
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
        if isinstance(self.view, Collection):
            for status, description in ERRORS.items():
                response = self._get_response_for_code(
                    ProblemSerializer, status, media_types=[PROBLEM_TYPE], direction=direction
                )
                responses[status] = {**response, "description": description}
        return responses
