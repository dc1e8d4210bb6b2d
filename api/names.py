"""What people call a record beside its identifier: its name, title, acronym or ISO alpha-3,
the initials of a long name (DRC, UAE), and other common names a participant goes by. Folded
(lower case, no accents), so that `cote d'ivoire` finds Côte d'Ivoire. Used by search and by
the did-you-mean of errors."""

import unicodedata

from django.core.exceptions import FieldDoesNotExist

# Fields that name a record, where a model has them.
FIELDS = ("name", "title", "acronym", "iso3")
# Other names in common use, by participant code: what a reader may type for them.
OTHER_NAMES = {
    "CD": ("DR Congo", "Congo-Kinshasa"),
    "CG": ("Congo-Brazzaville",),
    "CI": ("Ivory Coast",),
    "GB": ("Britain", "Great Britain"),
    "KR": ("South Korea",),
    "LA": ("Lao PDR",),
    "RU": ("Russia",),
    "SZ": ("Swaziland",),
    "TR": ("Turkey",),
    "US": ("America",),
}
SMALL_WORDS = {"of", "the", "and", "for", "de", "du", "des", "la", "le"}


def fold(text: str) -> str:
    """Lower case, without accents."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fields(model) -> list[str]:
    """The naming fields `model` has."""
    found = []
    for name in FIELDS:
        try:
            if not model._meta.get_field(name).is_relation:
                found.append(name)
        except FieldDoesNotExist:
            pass
    return found


def names_of(identifier: str, *others) -> list[str]:
    """Every folded name of one record: its identifier, its naming fields' values, the initials
    of a long name, and its other common names."""
    names = [fold(str(value)) for value in (identifier, *others) if value]
    for value in others:
        words = fold(str(value or "")).replace("-", " ").split()
        significant = [word for word in words if word not in SMALL_WORDS]
        if len(significant) >= 2:
            names.append("".join(word[0] for word in significant))
    names += [fold(name) for name in OTHER_NAMES.get(str(identifier), ())]
    return list(dict.fromkeys(names))


def matches(word: str, name: str) -> bool:
    """A folded word in a folded name: two letters (UK) as a whole word, three (DRC, Zim) at
    the start of a word, longer ones anywhere."""
    if len(word) > 3:
        return word in name
    words = name.replace("-", " ").split()
    if len(word) == 3:
        return any(part.startswith(word) for part in words)
    return word in words


def every(model, key: str, queryset=None) -> dict[str, list[str]]:
    """{identifier: its folded names} of every record of `model` (or of `queryset`)."""
    rows = (queryset if queryset is not None else model.objects).values_list(key, *fields(model))
    return {identifier: names_of(identifier, *others) for identifier, *others in rows}
