"""Changes: one version of a record, or one entry of the feed of all changes."""

from rest_framework import serializers

from api import history
from api import models as m


class ChangeSerializer(serializers.ModelSerializer):
    """Who changed what, when, and the values before and after."""

    change = serializers.IntegerField(source="id", help_text="Position in the feed of changes.")
    by = serializers.CharField(
        source="actor", help_text=m.Change._meta.get_field("actor").help_text
    )
    changed = serializers.SerializerMethodField(help_text="The columns whose values changed.")

    class Meta:
        model = m.Change
        fields = ("change", "collection", "record_id", "part", "action", "at", "by", "changed",
                  "old", "new")  # fmt: skip

    def get_changed(self, change) -> list[str]:
        return history.changed_fields(change)
