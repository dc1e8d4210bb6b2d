"""Did you mean: the known identifiers closest to one that names no record, found by its code or
slug, its name or title, or another code it goes by (a participant's ISO alpha-3)."""

import difflib
import unicodedata

from django.core.exceptions import FieldDoesNotExist

from . import registry

# What else names a record, beside its identifier: the fields a person would type.
NAMES = ("name", "title", "acronym", "iso3")


def closest(model, key: str, value: str, most: int = 3) -> list[str]:
    """Up to `most` identifiers of `model` (its `key` field) a person typing `value` may mean."""
    value = _folded(value)
    if not value:
        return []
    names = [name for name in NAMES if _has(model, name)]
    rows = model.objects.values_list(key, *names)
    aliases: dict[str, str] = {}  # any name, lower case -> identifier
    for identifier, *others in rows:
        for alias in (identifier, *others):
            if alias:
                aliases.setdefault(_folded(str(alias)), identifier)
    found = [aliases[value]] if value in aliases else []
    found += [ident for alias, ident in aliases.items() if len(value) >= 3 and value in alias]
    found += [aliases[alias] for alias in difflib.get_close_matches(value, aliases, most, 0.6)]
    return list(dict.fromkeys(found))[:most]


def hint(model, key: str, values: list[str]) -> str:
    """' Did you mean russia-ukraine? Every topic: /api/v1/topics/.', or as much as is known."""
    found = list(dict.fromkeys(match for value in values for match in closest(model, key, value)))
    said = f" Did you mean {' or '.join(found)}?" if found else ""
    if collection := registry.BY_MODEL.get(model):
        noun = model._meta.verbose_name_plural
        said += f" Every one of the {noun}: /api/v1/{collection.prefix}/."
    return said


def _folded(text: str) -> str:
    """Lower case, without accents: `Côte d'Ivoire` and `cote d'ivoire` are one."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _has(model, name: str) -> bool:
    try:
        return not model._meta.get_field(name).is_relation
    except FieldDoesNotExist:
        return False
