"""Changes: one entry of a record's history or of the feed of all changes (api/changes.py)."""

from rest_framework import serializers

from api import registry

VALUE = (
    "In the API's own representation: references as codes and slugs, dates ISO 8601 beside their "
    "`_precision`, links as lists of codes or slugs; null when the record had none."
)


class FieldChangeSerializer(serializers.Serializer):
    """A field's value before and after the change."""

    old = serializers.JSONField(allow_null=True, help_text=f"Before the change. {VALUE}")
    new = serializers.JSONField(allow_null=True, help_text=f"After the change. {VALUE}")


class PartRowChangeSerializer(serializers.Serializer):
    """A part's row (a stand) before and after the change."""

    old = serializers.DictField(help_text="The row before the change.")
    new = serializers.DictField(help_text="The row after the change.")


class PartChangeSerializer(serializers.Serializer):
    """What the change did to one part of the record (its stands, its status periods)."""

    added = serializers.ListField(
        child=serializers.DictField(), help_text="Rows the change added, in full."
    )
    changed = PartRowChangeSerializer(
        many=True, help_text="Rows the change altered (a stand of the same actor): old and new."
    )
    removed = serializers.ListField(
        child=serializers.DictField(), help_text="Rows the change removed, in full."
    )


class ChangeSerializer(serializers.Serializer):
    """One change a person made to one record: who, when, and what, in public terms."""

    change = serializers.IntegerField(
        help_text="The change's number: its place in the feed, never issued twice. Give it as "
        "`since` to get what came after."
    )
    at = serializers.DateTimeField(help_text="When the change was made, ISO 8601 UTC.")
    by = serializers.CharField(
        allow_null=True,
        help_text="Who: an editor's public name, or the command's name; null for a change made "
        "in the database directly.",
    )
    via = serializers.ChoiceField(
        ["api", "admin", "command", "database"],
        help_text="How: through the API, the admin, a command, or the database directly (SQL).",
    )
    collection = serializers.ChoiceField(
        sorted(c.prefix for c in registry.RECORDED.values()),
        help_text="The record's collection (a stand's changes are its proposal's).",
    )
    record = serializers.CharField(
        help_text="The record's identifier, as in its URL: its code, slug, year or id."
    )
    url = serializers.URLField(help_text="The record's address (a 404 once it is deleted).")
    action = serializers.ChoiceField(
        ["create", "update", "delete"],
        help_text="create: `fields` and `parts` hold all it had; delete: all it had last; update: "
        "only what changed.",
    )
    fields = serializers.DictField(
        child=FieldChangeSerializer(), help_text="The record's fields that changed, by name."
    )
    parts = serializers.DictField(
        child=PartChangeSerializer(),
        help_text="The record's parts that changed, by name: `positions`, `status_history`, …",
    )
    summary = serializers.CharField(
        help_text="The change in one line, e.g. `US on 2011-kinshasa-marange-agreement: "
        "abstain → support`."
    )
