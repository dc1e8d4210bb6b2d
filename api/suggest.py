"""Did you mean: the known identifiers closest to one that names no record, found by its code or
slug, or by any name it goes by (api/names.py)."""

import difflib

from . import names, registry


def closest(model, key: str, value: str, most: int = 3) -> list[str]:
    """Up to `most` identifiers of `model` (its `key` field) a person typing `value` may mean."""
    value = names.fold(value)
    if not value:
        return []
    aliases: dict[str, str] = {}  # any folded name -> identifier
    for identifier, known in names.every(model, key).items():
        for alias in known:
            aliases.setdefault(alias, identifier)
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
