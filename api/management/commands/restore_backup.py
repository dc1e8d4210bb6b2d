"""`manage.py restore_backup FILE`: replace the whole database with a backup, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from api.backups import BackupError, restore, unapplied_migrations


class Command(BaseCommand):
    help = (
        "Replace the whole database with a file written by `backup`, all or nothing: "
        "pg_restore in one transaction on PostgreSQL, SQLite's backup API on SQLite. Every "
        "change made since the backup, its history included, is lost. A file that is not a "
        "backup of this kind of database is refused, and then nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A file written by `manage.py backup`.")

    def handle(self, *args, file: Path, **options):
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(f"{error} Nothing was changed.") from None
        self.stdout.write(self.style.SUCCESS(f"Restored {file}."))
        if missing := unapplied_migrations():
            self.stderr.write(
                f"The backup predates {len(missing)} migration(s) of this code: "
                "run `python manage.py migrate` (or `make setup`) before serving it."
            )
