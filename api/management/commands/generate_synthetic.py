"""`manage.py generate_synthetic --statements N`: synthetic records for benchmarks, or --clear."""

from django.core.management.base import BaseCommand, CommandError

from bench import synthetic


class Command(BaseCommand):
    help = (
        "Add synthetic records for benchmarks: N statements with, in proportion, people (N/200), "
        "organisations (N/2000), meetings (N/5000), proposals (N/2000) with a few positions "
        "each, sources (N/50), topic links and trade rows for 1950-2005, citing the real "
        "participants and topics. Every synthetic record is marked: a slug starting "
        f"'{synthetic.PREFIX}' where it has one, the note '{synthetic.NOTE}' and confidence "
        "uncertain. The same --seed gives the same records. One transaction: all or nothing. "
        "On PostgreSQL the rows go in by COPY with the history triggers off, so synthetic loads "
        "(and --clear) are not kept in the history; on SQLite they go in by bulk inserts with "
        "the triggers on, which suits small N. A second load waits for --clear, which removes "
        "every synthetic record, and only those."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--statements", type=int, metavar="N", help="How many statements to add."
        )
        action.add_argument(
            "--clear", action="store_true", help="Remove every synthetic record instead."
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="Seed of the random choices (default: %(default)s)."
        )

    def handle(self, *args, statements: int | None, clear: bool, seed: int, **options):
        try:
            if clear:
                counts, seconds = synthetic.clear()
                verb = "removed"
            else:
                counts, seconds = synthetic.generate(statements, seed)
                verb = "added"
        except synthetic.SyntheticError as error:
            raise CommandError(f"{error} Nothing was changed.") from None
        details = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Synthetic records {verb}: {details} in {seconds:.1f} s.")
        )
