"""What every serializer shares: `?fields=` and `?expand=`, references by identifier, sources."""

import functools
from types import SimpleNamespace
from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

COMMON_FIELDS = ("confidence", "note", "created_at", "updated_at")


def slugs(**kwargs) -> serializers.SlugRelatedField:
    """A many-valued reference inside a nested object, served as slugs."""
    return serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug", **kwargs)


def slug(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(read_only=True, slug_field="slug", **kwargs)


def code(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(read_only=True, slug_field="code", **kwargs)


class Reference(serializers.SlugRelatedField):
    """A reference served as the record's identifier, or with `?expand=` as its brief form."""

    def __init__(self, brief: type[serializers.Serializer], **kwargs):
        self.brief = brief
        super().__init__(**kwargs)


def ref(brief, slug_field: str = "slug", **kwargs) -> Reference:
    return Reference(brief, slug_field=slug_field, read_only=True, **kwargs)


def refs(brief, slug_field: str = "slug", **kwargs) -> serializers.ManyRelatedField:
    return Reference(brief, slug_field=slug_field, read_only=True, many=True, **kwargs)


@extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}
)
class Links(serializers.Field):
    """Where the API lists what is about the record: `{"stands": ".../positions/?participant=ZA"}`.
    `lists` maps each name to a list's route name and the filter that names the record."""

    def __init__(self, key: str, lists: dict[str, tuple[str, str]], **kwargs):
        self.key, self.lists = key, lists
        kwargs.setdefault("help_text", "Addresses of the lists about this record.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        request, value = self.context["request"], getattr(record, self.key)
        return {
            name: request.build_absolute_uri(f"{reverse(route)}?{urlencode({param: value})}")
            for name, (route, param) in self.lists.items()
        }


class Link(serializers.HyperlinkedIdentityField):
    """The record's absolute API address: canonical, whatever format the request asked for."""

    def __init__(self, view_name: str, lookup_field: str = "pk", **kwargs):
        kwargs.setdefault("help_text", "This record's address in the API.")
        super().__init__(view_name=view_name, lookup_field=lookup_field, **kwargs)

    def get_url(self, obj, view_name, request, format):
        path = reverse(view_name, kwargs={self.lookup_url_kwarg: getattr(obj, self.lookup_field)})
        return request.build_absolute_uri(path)


class ShapedSerializer(serializers.ModelSerializer):
    """A serializer whose top level honours `?fields=a,b` and `?expand=a,b`.

    Any `Reference` field can be expanded into its brief form. Expanding reads only what the
    view's queryset already loaded, so it never adds a query.
    """

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            # What is served (and `?fields=` may leave any of it out); writes have their own.
            field.read_only, field.required = True, False
        request = self.context.get("request")
        if request is None or not self._is_top_level():
            return fields
        expandable = {name: _brief(field) for name, field in fields.items() if _brief(field)}
        for name in _names(request, "expand", allowed=expandable):
            many = isinstance(fields[name], serializers.ManyRelatedField)
            fields[name] = expandable[name](many=many, read_only=True, source=fields[name].source)
        wanted = _names(request, "fields", allowed=fields)
        return (
            {name: field for name, field in fields.items() if name in wanted} if wanted else fields
        )

    def _is_top_level(self) -> bool:
        parent = self.parent
        return parent is None or (
            isinstance(parent, serializers.ListSerializer) and not parent.parent
        )


def _brief(field):
    """The brief serializer of an expandable (`Reference`) field, or None."""
    return getattr(getattr(field, "child_relation", field), "brief", None)


def _names(request, parameter: str, allowed) -> list[str]:
    value = request.query_params.get(parameter, "")
    names = list(dict.fromkeys(name.strip() for name in value.split(",") if name.strip()))
    unknown = [name for name in names if name not in allowed]
    if unknown:
        choices = ", ".join(sorted(allowed)) or "none here"
        raise exceptions.ValidationError(
            {parameter: [f"Unknown: {', '.join(unknown)}. Choose from: {choices}."]}
        )
    return names


def shaped_fields(serializer_class, request) -> dict:
    """The fields a request's `?fields=` and `?expand=` give `serializer_class`, built once per
    process and shape (building a serializer's fields costs more than serving a row): for the
    lists and details that serve plain values by field, never bound to a request."""
    params = request.query_params
    return _shaped(serializer_class, params.get("fields", ""), params.get("expand", "")).fields


@functools.lru_cache(maxsize=256)  # shapes come from clients: a bounded number kept
def _shaped(serializer_class, fields: str, expand: str):
    shape = SimpleNamespace(query_params={"fields": fields, "expand": expand})
    serializer = serializer_class(context={"request": shape})
    _ = serializer.fields  # a bad name raises here, and nothing is kept
    for field in serializer.fields.values():
        brief = getattr(field, "child", field)  # a list of references: each one's brief form
        if isinstance(brief, serializers.Serializer):
            _ = brief.fields  # an expanded reference's brief form, built now, once
    return serializer
