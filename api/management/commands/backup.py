"""`manage.py backup [--output PATH]`: a consistent snapshot of the database; its path last."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from api.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the whole database to one file: pg_dump's custom format "
        "on PostgreSQL, a copy made with SQLite's backup API on SQLite. Prints the file's path on "
        "the last line. `restore_backup FILE` brings it back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            metavar="PATH",
            help="The file to write, or a folder for a timestamped file "
            "(default: var/backups/kpdata-<UTC time>.dump or .sqlite3).",
        )

    def handle(self, *args, output: Path | None, **options):
        try:
            path = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
