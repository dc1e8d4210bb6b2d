"""Where every fact comes from: news articles, reports, communiqués and datasets."""

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from .base import GradedModel, precision_constraints, precision_field, slug_validator


class SourceKind(models.TextChoices):
    NEWS = "news", "news"
    REPORT = "report", "report"
    COMMUNIQUE = "communique", "communiqué"
    DATASET = "dataset", "dataset"
    OTHER = "other", "other"


class Source(GradedModel):
    """A public page that backs facts in the record."""

    slug = models.SlugField(
        max_length=120,
        unique=True,
        validators=[slug_validator],
        help_text="Identifier; never changes.",
    )
    url = models.URLField(max_length=500, unique=True, help_text="Where to read it.")
    kind = models.CharField(
        max_length=10, choices=SourceKind.choices, default=SourceKind.OTHER, help_text="What it is."
    )
    title = models.CharField(
        max_length=500, blank=True, help_text="Title; empty when not recorded."
    )
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who published it; empty when not recorded."
    )
    author = models.CharField(max_length=200, blank=True, help_text="Author, if named.")
    published_on = models.DateField(null=True, blank=True, help_text="Publication date, if known.")
    published_on_precision = precision_field("published_on")

    class Meta:
        ordering = ["slug"]
        constraints = precision_constraints("source", "published_on")

    def __str__(self) -> str:
        return self.title or self.url


@receiver(pre_delete, sender=Source)
def keep_cited_sources(sender, instance: Source, **kwargs) -> None:
    """A source that records cite cannot be deleted: every record cites at least one source."""
    citing = []
    for model in apps.get_models():
        for field in model._meta.many_to_many:
            if field.related_model is Source:
                citing += list(model.objects.filter(**{field.name: instance})[:5])
    if citing:
        raise models.ProtectedError(f"{instance} is cited by other records.", set(citing))
