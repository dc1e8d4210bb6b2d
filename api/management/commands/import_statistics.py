"""`manage.py import_statistics FILE.csv`: import a KP statistics table, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from api.importers.statistics import TABLES, import_statistics
from api.importers.tables import ImportRefused
from api.models import Confidence


class Command(BaseCommand):
    help = (
        "Import a table of the KP's annual statistics: columns participant (code, name or alias; "
        "World or Total for the world total), year, carats, value_usd, for trade also flow and "
        "certificates, and optionally source (a URL per row). Everything is checked first: a bad "
        "line is reported with its line number, and then nothing is written. Importing the same "
        "table again changes nothing; a figure that differs is updated, and the output says how."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The table, as CSV with a header row.")
        parser.add_argument(
            "--source",
            metavar="URL",
            help="The page the whole table comes from, for rows without a source of their own.",
        )
        parser.add_argument(
            "--confidence",
            choices=Confidence.values,
            default=Confidence.SINGLE_SOURCE,
            help=(
                "The grade of the figures and reports the import creates or changes; figures it "
                "leaves as they are keep theirs (default: %(default)s)."
            ),
        )
        parser.add_argument(
            "--table",
            choices=sorted(TABLES),
            help="production or trade (default: trade if the file has a flow column).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the table and report what would change, but write nothing.",
        )
        parser.add_argument(
            "--encoding", default="utf-8", help="The file's text encoding (default: %(default)s)."
        )

    def handle(self, *args, file: Path, **options):
        try:
            outcome = import_statistics(
                file,
                table=options["table"],
                source=options["source"],
                confidence=options["confidence"],
                encoding=options["encoding"],
                dry_run=options["dry_run"],
            )
        except ImportRefused as error:
            for line in error.lines:
                self.stderr.write(line)
            raise CommandError(f"{len(error.lines)} error(s); nothing was changed.") from None
        for line in outcome.changes:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(outcome.summary))
