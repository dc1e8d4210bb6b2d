"""What every serializer shares: `?fields=` and `?expand=`, references by identifier, sources."""

from rest_framework import exceptions, serializers

COMMON_FIELDS = ("confidence", "note", "created_at", "updated_at")


def slugs(**kwargs) -> serializers.SlugRelatedField:
    """A many-valued reference, served as the referenced records' slugs."""
    return serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug", **kwargs)


def codes(**kwargs) -> serializers.SlugRelatedField:
    """A many-valued reference to participants, served as their codes."""
    return serializers.SlugRelatedField(many=True, read_only=True, slug_field="code", **kwargs)


def slug(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(read_only=True, slug_field="slug", **kwargs)


def code(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(read_only=True, slug_field="code", **kwargs)


class ShapedSerializer(serializers.ModelSerializer):
    """A serializer whose top level honours `?fields=a,b` and `?expand=a,b`.

    `expandable` maps a reference field to the brief serializer that replaces the identifier
    when the field is expanded. Expanding reads only what the view's queryset already loaded,
    so it never adds a query.
    """

    expandable: dict[str, tuple[type[serializers.Serializer], bool]] = {}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None or not self._is_top_level():
            return fields
        for name in _names(request, "expand", allowed=self.expandable):
            brief, many = self.expandable[name]
            fields[name] = brief(many=many, read_only=True, source=fields[name].source)
        wanted = _names(request, "fields", allowed=fields)
        return (
            {name: field for name, field in fields.items() if name in wanted} if wanted else fields
        )

    def _is_top_level(self) -> bool:
        parent = self.parent
        return parent is None or (
            isinstance(parent, serializers.ListSerializer) and not parent.parent
        )


def _names(request, parameter: str, allowed) -> list[str]:
    value = request.query_params.get(parameter, "")
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown:
        choices = ", ".join(sorted(allowed)) or "none here"
        raise exceptions.ValidationError(
            {parameter: [f"Unknown: {', '.join(unknown)}. Choose from: {choices}."]}
        )
    return names
