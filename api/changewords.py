"""A change in words: who made it, in public terms (an editor's chosen name, never a login),
and a one-line summary a reader can follow."""

from django.contrib.auth import get_user_model

from . import registry


def editor_names(actors) -> dict[str, str]:
    """The public name of each editor among `actors` (`api:<user>`, `admin:<user>`), by user
    name: the one chosen for them, else `Editor <number>`; never the login name."""
    users = {actor.partition(":")[2] for actor in actors if actor.partition(":")[0] in VIA_USER}
    if not users:
        return {}
    found = get_user_model().objects.filter(username__in=users)
    return {
        username: name or f"Editor {pk}"
        for username, name, pk in found.values_list("username", "editor_name__name", "pk")
    }


VIA_USER = {"api", "admin"}


def who(actor: str, names: dict) -> tuple[str | None, str]:
    """(by, via): an editor's public name and whether through the API or the admin; a
    command's name; or no one for changes made in the database directly."""
    via, _, name = actor.partition(":")
    if via in VIA_USER:
        return names.get(name, "A former editor"), via
    if via == "command":
        return name, via
    return None, "database"


def summary(entry: dict, collection: registry.Collection) -> str:
    """One line a reader can follow: `US on 2011-kinshasa-marange-agreement: abstain → support`."""
    record, action = entry["record"], entry["action"]
    if action != "update":
        return f"{collection.prefix} {record} {action}d"
    said = []
    identity = {part.name: part.identity for part in collection.parts}
    for name, part in entry["parts"].items():
        for moved in part["changed"]:
            old, new = moved["old"], moved["new"]
            label = _label(new, identity[name]) or name
            differ = [f for f in new if old.get(f) != new.get(f)]
            what = (
                _arrow(old[differ[0]], new[differ[0]])
                if len(differ) == 1
                else ", ".join(f"{f} {_arrow(old.get(f), new.get(f))}" for f in differ)
            )
            said.append(f"{label} on {record}: {what}")
        for verb in ("added", "removed"):
            for item in part[verb]:
                said.append(f"{_label(item, identity[name]) or name} {verb} on {record}")
    for name, values in entry["fields"].items():
        said.append(f"{record}: {name} {_arrow(values['old'], values['new'])}")
    return "; ".join(said)


def _label(item: dict, identity: tuple[str, ...]) -> str:
    return next((str(item[f]) for f in identity if item.get(f) is not None), "")


def _arrow(old, new) -> str:
    return f"{_word(old)} → {_word(new)}"


def _word(value) -> str:
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"
