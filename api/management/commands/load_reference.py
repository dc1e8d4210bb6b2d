"""`manage.py load_reference`: load the sourced KP dataset from fixtures/, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from api.reference import FIXTURES, ReferenceDataError, load


class Command(BaseCommand):
    help = (
        "Load the reference dataset (fixtures/reference/*.csv and the project's own fixtures) "
        "in one transaction. Running it again changes nothing; a bad row is reported with its "
        "file and line, and then nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=FIXTURES,
            help="Folder with reference/ and the project's own fixtures (default: %(default)s).",
        )

    def handle(self, *args, fixtures: Path, **options):
        try:
            summary = load(fixtures)
        except ReferenceDataError as error:
            for line in error.lines:
                self.stderr.write(line)
            raise CommandError(f"{len(error.lines)} error(s); nothing was changed.") from None
        created = sum(counts["created"] for counts in summary.values())
        updated = sum(counts["updated"] for counts in summary.values())
        removed = sum(counts.pop("removed", 0) for counts in summary.values())
        total = sum(counts.total() for counts in summary.values())
        details = ", ".join(f"{counts.total()} {name}" for name, counts in summary.items())
        self.stdout.write(f"Reference dataset: {total} records ({details}).")
        kept = sum(counts["kept as edited"] for counts in summary.values())
        edited = f", {kept} kept as editors left them" if kept else ""
        gone = f", {removed} removed (no longer in the files)" if removed else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} created, {updated} updated{gone}{edited}, the rest unchanged."
            )
        )
