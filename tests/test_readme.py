"""The README's commands work as written, in a fresh shell after `make`: its shell blocks' manage.py
commands run (the local secret key found without DJANGO_SECRET_KEY), and every manage.py command
it names exists."""

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests import live

ROOT = Path(settings.BASE_DIR)
README = (ROOT / "README.md").read_text()
SHELL_BLOCKS = re.findall(r"```sh\n(.*?)```", README, re.S)
# Every manage.py command a README shell block runs, as written (its comment aside).
RUN = [
    line.split("  #")[0].strip()
    for block in SHELL_BLOCKS
    for line in block.splitlines()
    if line.startswith(".venv/bin/python manage.py ")
]
NAMED = sorted(set(re.findall(r"manage\.py (\w+)", README)))


def fresh_shell(**extra: str) -> dict[str, str]:
    """A new terminal's variables: none of the project's own, but what the test adds."""
    names = ("DJANGO_", "DATABASE_URL", "KPDATA_")
    return {k: v for k, v in os.environ.items() if not k.startswith(names)} | extra


def test_the_readme_shows_manage_py_commands_to_run():
    assert any(line.startswith(".venv/bin/python manage.py create_editor alice") for line in RUN)
    assert {"create_editor", "load_reference", "backup", "restore_backup"} <= set(NAMED)


@pytest.mark.django_db
@pytest.mark.parametrize("command", RUN)
def test_each_readme_command_runs_as_written(command, live_database, tmp_path):
    database = live.copy_of(live_database, tmp_path)
    try:
        result = subprocess.run(
            shlex.split(command), cwd=ROOT, env=fresh_shell(DATABASE_URL=database),
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        live.drop(database)
    assert result.returncode == 0, result.stderr
    if "create_editor" in command:
        assert re.fullmatch(r"\w{20,}", result.stdout.strip().splitlines()[-1])  # the token


@pytest.mark.parametrize("name", NAMED)
def test_every_command_the_readme_names_exists(name):
    result = subprocess.run(
        [".venv/bin/python", "manage.py", "help", name], cwd=ROOT, env=fresh_shell(),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
