"""Editors' public names, shown in the history and the feed instead of their login names; and
the write each history row belongs to, so that one write is one entry of the feed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0008_dataset_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="change",
            name="write",
            field=models.BigIntegerField(help_text="The write within its transaction (one request, one command run): the rows of one write are one change in the feed. Null for raw SQL on PostgreSQL.", null=True),
        ),
        migrations.CreateModel(
            name="EditorName",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="The editor's public name, e.g. Jane Editor.", max_length=150)),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="editor_name", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["name"]},
        ),
    ]
