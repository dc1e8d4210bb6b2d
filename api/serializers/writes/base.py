"""What every write serializer shares: references by code or slug, identifiers set once, model
rules checked, nested rows replaced whole."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import UniqueConstraint
from rest_framework import serializers

from api import models as m
from api import suggest

GRADED = ("confidence", "note")


class Identifier(serializers.SlugRelatedField):
    """A reference by code (any case) or slug."""

    def __init__(self, model, slug_field: str = "slug", **kwargs):
        super().__init__(queryset=model.objects.all(), slug_field=slug_field, **kwargs)
        noun = model._meta.verbose_name
        self.error_messages["does_not_exist"] = f"Unknown {noun} {slug_field}: {{value}}."

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.upper() if self.slug_field == "code" else data.lower()
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:  # an unknown one: name the closest
            if not isinstance(data, str):
                raise
            model = self.get_queryset().model
            hint = suggest.hint(model, self.slug_field, [data])
            raise serializers.ValidationError([f"{error.detail[0]}{hint}"]) from None


def code(**kwargs) -> Identifier:
    return Identifier(m.Participant, "code", **kwargs)


def sources(**kwargs) -> Identifier:
    return Identifier(
        m.Source,
        many=True,
        allow_empty=False,
        help_text="Slugs of the sources that back it: at least one.",
        **kwargs,
    )


class TopicsField(serializers.ListField):
    """Topic slugs; a new slug adds the topic to the vocabulary."""

    child = serializers.SlugField(max_length=60)

    def to_internal_value(self, data):
        slugs = super().to_internal_value(data)
        return [m.Topic.objects.get_or_create(slug=slug.lower())[0] for slug in slugs]


# Fields every record is served with that no editor sets.
SET_BY_SERVICE = {"id", "url", "api_url", "created_at", "updated_at"}


class ModelRules:
    """Checks a row against its model's rules (fields, checks, uniqueness) before the database
    does, and names the field each broken rule is about. A field it does not take is a 400 that
    names it, never silently ignored; a full date without its precision is known to the day."""

    def to_internal_value(self, data):
        if self.parent is None and isinstance(data, Mapping):
            view = self.context.get("view")
            read = getattr(view, "serializer_class", None)  # what a GET shows
            if errors := self.unknown_names(data, read().fields if read else {}):
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    def unknown_names(self, data: Mapping, served: Mapping) -> dict:
        """The fields of `data` this serializer does not take, its rows' included, each with
        why: set by the service (a record sent back as it was read), or unknown."""
        writable = sorted(name for name, field in self.fields.items() if not field.read_only)
        errors = {
            name: ["Set by the service: leave it out."] if name in {*served, *SET_BY_SERVICE}
            else [f"Unknown field. Fields: {', '.join(writable)}."]
            for name in sorted(set(data) - set(writable))
        }  # fmt: skip
        for name, field in self.fields.items():  # rows written with the record
            child, rows = getattr(field, "child", None), data.get(name)
            if isinstance(child, ModelRules) and isinstance(rows, list):
                shown = getattr(served.get(name), "child", None)
                shown = shown.fields if shown is not None else {}
                found = [child.unknown_names(row, shown) if isinstance(row, Mapping) else {}
                         for row in rows]  # fmt: skip
                if any(found):
                    errors[name] = found
        return errors

    def check_rules(self, attrs, instance=None, skip=()):
        model = self.Meta.model
        for field in model._meta.concrete_fields:  # a date given alone is known to the day
            day = field.name.removesuffix("_precision")
            if day != field.name and attrs.get(day) is not None and not attrs.get(field.name):
                attrs[field.name] = m.DatePrecision.DAY
        values = {} if instance is None else {
            field.attname: getattr(instance, field.attname) for field in model._meta.concrete_fields
        }  # fmt: skip
        for name, value in attrs.items():
            if name in skip or name in _many(model):
                continue
            field = model._meta.get_field(name)
            if field.many_to_one:
                values[field.attname] = value.pk if value is not None else None
            else:
                values[field.attname] = value
        record = model(**values)
        record._state.adding = instance is None  # an update is not a duplicate of itself
        excluded = {*skip, *_many(model)}
        if instance is None:  # a new child row's link to its record is set on saving
            excluded |= {f.name for f in model._meta.concrete_fields if f.name not in attrs}
        errors: dict[str, list[str]] = {}
        try:
            record.full_clean(exclude=excluded, validate_unique=False, validate_constraints=False)
        except DjangoValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault("request" if name == "__all__" else name, []).extend(messages)
        for constraint in model._meta.constraints:
            try:
                constraint.validate(model, record, exclude=excluded)
            except DjangoValidationError:
                name, message = _explain(model, constraint)
                errors.setdefault(name, []).append(message)
        if errors:
            raise serializers.ValidationError(errors)


def _many(model) -> set[str]:
    return {field.name for field in model._meta.many_to_many}


def _explain(model, constraint) -> tuple[str, str]:
    """The field a broken constraint is about, and what to do, in words."""
    name = constraint.name
    fields = [field.name for field in model._meta.concrete_fields]
    if isinstance(constraint, UniqueConstraint):
        return constraint.fields[-1], f"Another record has this {', '.join(constraint.fields)}."
    if name.endswith("_end_after_start"):
        return ("end_date" if "end_date" in fields else "end"), "The end is before the start."
    for field in fields:
        if name.endswith(f"_{field}_precision_with_date"):
            return f"{field}_precision", "Give a precision with a date, and none without one."
        if name.endswith(f"_{field}_not_negative"):
            return field, "Must not be negative."
    if name == "statement_has_speaker_or_description":
        return "speaker_description", "Name the speaker, or say who spoke."
    if name == "affiliation_names_organisation_or_participant":
        return "organisation", "Name an organisation or a participant."
    return "request", str(constraint.get_violation_error_message())


class RowSerializer(ModelRules, serializers.ModelSerializer):
    """A child row written with its record (a position, a status period, an affiliation)."""

    def validate(self, attrs):
        self.check_rules(attrs)
        return attrs


class WriteSerializer(ModelRules, serializers.ModelSerializer):
    """Writes a record whole, in one transaction, checking every rule of its model.

    `nested` names lists of child rows written with their record (a proposal's positions):
    given, they replace the record's rows; left out of a PATCH, they stay as they are.
    """

    identifier: str | None = "slug"
    nested: dict[str, str] = {}  # field name -> the child's foreign key to the record
    # field name -> the fields that identify a child within its record: a row given again with
    # the same identity is changed in place (its identifier kept), not deleted and re-created.
    nested_keys: dict[str, tuple[str, ...]] = {}

    def validate(self, attrs):
        identifier, instance = self.identifier, self.instance
        changed = identifier in attrs and instance is not None
        if changed and attrs[identifier] != getattr(instance, identifier):
            raise serializers.ValidationError({identifier: ["An identifier never changes."]})
        self.check_rules(attrs, instance, skip=self.nested)
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        children = {
            name: validated_data.pop(name) for name in self.nested if name in validated_data
        }
        record = super().create(validated_data)
        self._write_children(record, children)
        return record

    @transaction.atomic
    def update(self, instance, validated_data):
        """Change what differs and nothing else: a save that alters nothing is no change."""
        children = {
            name: validated_data.pop(name) for name in self.nested if name in validated_data
        }
        linked = _many(self.Meta.model) & set(validated_data)
        many = {name: validated_data.pop(name) for name in linked}
        _update_in_place(instance, validated_data, many)
        self._write_children(instance, children)
        if any(name not in self.nested_keys for name in children):
            # Parts without an identity of their own were re-written: the record changed with
            # them. Stands keep their own `updated_at`, so their proposal's stays as it was.
            instance.save(update_fields=["updated_at"])
        return instance

    def _write_children(self, record, children: dict) -> None:
        for name, rows in children.items():
            link = self.nested[name]
            related = getattr(record, name)
            keys = self.nested_keys.get(name)
            stored = {row_identity(child, keys): child for child in related.all()} if keys else {}
            if not keys:
                related.all().delete()
            for row in rows:
                row = dict(row)
                row_sources = row.pop("sources", [])
                child = stored.pop(row_identity(row, keys), None) if keys else None
                if child is None:
                    child = related.model.objects.create(**{link: record}, **row)
                    child.sources.set(row_sources)
                else:
                    _update_in_place(child, row, {"sources": row_sources})
            for child in stored.values():  # stands the new list leaves out
                child.delete()


def row_identity(row, keys) -> tuple:
    """A child row's identity within its record (a stand's actor), from a model or a dict."""
    values = (row.get(key) if isinstance(row, dict) else getattr(row, key) for key in keys)
    return tuple(getattr(value, "pk", value) for value in values)


def _update_in_place(record, values: dict, many: dict) -> None:
    """Set the fields and links that differ; save (moving `updated_at`) only if any did."""
    differing = [name for name, value in values.items() if getattr(record, name) != value]
    relinked = {
        name: targets
        for name, targets in many.items()
        if {target.pk for target in targets}
        != set(getattr(record, name).values_list("pk", flat=True))
    }
    for name in differing:
        setattr(record, name, values[name])
    if differing or relinked:
        record.save()
    for name, targets in relinked.items():
        getattr(record, name).set(targets)
