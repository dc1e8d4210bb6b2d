"""Participants as tables print them: found by code, name or alias, whatever the case or accents."""

import re
import unicodedata
from pathlib import Path

from django.conf import settings

from api.models import Participant
from api.reference.parsing import BadValue, read_rows

ALIASES = Path(settings.BASE_DIR) / "fixtures" / "participant-aliases.csv"


def normalise(name: str) -> str:
    """A name without case, accents or punctuation: "Côte d'Ivoire" reads as "cote d ivoire"."""
    letters = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(letter for letter in letters if not unicodedata.combining(letter))
    return " ".join(re.sub(r"[\W_]+", " ", letters).split())


class ParticipantNames:
    """Every stored participant under its code, ISO alpha-3 code, name and aliases.

    `errors` lists what is wrong with the alias file, one line each; a name is looked up only in
    a table without errors.
    """

    def __init__(self, aliases: Path = ALIASES):
        self.errors: list[str] = []
        self.names: dict[str, Participant] = {}
        participants = {participant.code: participant for participant in Participant.objects.all()}
        if not participants:
            self.errors.append("no participant is stored yet: run `manage.py load_reference` first")
            return
        for participant in participants.values():
            for name in (participant.code, participant.iso3, participant.name):
                if name:
                    self.names.setdefault(normalise(name), participant)
        try:
            for row in read_rows(aliases, {"alias", "code"}):
                try:
                    self._alias(row["alias"], row["code"], participants)
                except BadValue as error:
                    self.errors.append(f"{row.origin}: {error}")
        except BadValue as error:
            self.errors.append(str(error))

    def _alias(self, alias: str, code: str, participants: dict[str, Participant]) -> None:
        if not normalise(alias):
            raise BadValue("alias is empty")
        participant = participants.get(code)
        if participant is None:
            raise BadValue(f"code {code!r} is not a stored participant")
        named = self.names.setdefault(normalise(alias), participant)
        if named != participant:
            raise BadValue(f"alias {alias!r} already names {named.code}, not {code}")

    def find(self, name: str) -> Participant | None:
        """The participant a name, code or alias stands for, or None."""
        return self.names.get(normalise(name))
