"""`load_reference`: idempotent, all or nothing, and one clear line per bad row."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from api import models as m

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def counts() -> dict[str, int]:
    models = (m.Source, m.Participant, m.Meeting, m.Proposal, m.Position, m.Statement, m.Production)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of fixtures/ that a test may damage."""
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    return tmp_path / "fixtures"


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load(fixtures: Path = FIXTURES) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_reference", fixtures=fixtures, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_loading_again_changes_nothing():
    before = counts()
    stamps = sorted(m.Statement.objects.values_list("id", "updated_at"))
    out, _ = load()
    assert "0 created, 0 updated" in out
    assert counts() == before
    assert sorted(m.Statement.objects.values_list("id", "updated_at")) == stamps


def test_loading_repairs_a_changed_record_from_its_file():
    m.Meeting.objects.filter(slug="2022-intersessional-kasane").update(city="Gaborone")
    out, _ = load()
    assert "0 created, 1 updated" in out
    assert m.Meeting.objects.get(slug="2022-intersessional-kasane").city == "Kasane"


def refused(fixtures: Path) -> str:
    """Run the loader on broken files: it must fail, change nothing and say why on stderr."""
    before = counts()
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_reference", fixtures=fixtures, stdout=StringIO(), stderr=err)
    assert counts() == before
    return err.getvalue()


def line_of(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def test_a_bad_date_is_refused_with_its_line(broken):
    path = broken / "reference/kp-meetings.csv"
    line = line_of(path, "2022-06-20")
    replace(path, "2022-06-20", "2022-06-31")
    err = refused(broken)
    assert f"kp-meetings.csv, line {line}: start_date '2022-06-31' is not a real day" in err


def test_an_unknown_participant_code_is_refused_with_its_line(broken):
    first = "2009-swakopmund-marange-joint-work-plan,ZA,"
    replace(broken / "reference/kp-positions.csv", first, first.replace(",ZA,", ",XX,"))
    err = refused(broken)
    assert "kp-positions.csv, line 2: participant 'XX' is not a known participant" in err


def test_a_duplicated_key_is_refused_naming_both_lines(broken):
    path = broken / "reference/kp-participants.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    err = refused(broken)
    first = "first at kp-participants.csv, line 2"
    assert (
        f"kp-participants.csv, line {len(lines) + 1}: duplicate participant 'AO' ({first})" in err
    )


def test_a_file_that_is_not_utf8_is_refused(broken):
    path = broken / "reference/kp-people.csv"
    path.write_bytes(path.read_bytes().replace("Stéphane".encode(), "Stéphane".encode("latin-1")))
    err = refused(broken)
    assert "kp-people.csv, line" in err and "is not UTF-8" in err


def test_a_meeting_label_that_resolves_to_no_meeting_is_refused(broken):
    statements = broken / "reference/kp-statements.csv"
    replace(statements, "2010 plenary, Jerusalem", "2010 plenary, Haifa")
    err = refused(broken)
    assert "meeting '2010 plenary, Haifa' does not name a meeting of kp-meetings.csv" in err


def test_every_bad_row_is_reported_not_only_the_first(broken):
    replace(broken / "reference/kp-proposals.csv", ",consensus,adopted,", ",consensus,approved,")
    row = "export,2006,EU,European Union,177000000,"
    replace(broken / "reference/kp-statistics.csv", row, row.replace(",177", ",-177"))
    err = refused(broken)
    assert "outcome must be one of adopted" in err
    assert "carats must be a non-negative number" in err
