"""Topics become a collection: a name, a description and timestamps."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("api", "0009_editor_names")]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="name",
            field=models.CharField(
                blank=True,
                help_text="The topic's name; empty for a tag not yet named.",
                max_length=120,
            ),
        ),
        migrations.AddField(
            model_name="topic",
            name="description",
            field=models.TextField(blank=True, help_text="What the tag covers."),
        ),
        migrations.AddField(
            model_name="topic",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True,
                default=django.utils.timezone.now,
                help_text="When the record was created.",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="topic",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_index=True, help_text="When the record last changed."
            ),
        ),
    ]
