"""`manage.py migrate`, safe to run several times at once: containers starting together each
run it, and on PostgreSQL the runs take turns (an advisory lock), the later ones finding
nothing left to do. The history triggers are then put back in one transaction (api/history.py)."""

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections

LOCK = "SELECT pg_advisory_lock(hashtext('kpdata.migrate'))"
UNLOCK = "SELECT pg_advisory_unlock(hashtext('kpdata.migrate'))"


class Command(MigrateCommand):
    help = MigrateCommand.help + " Concurrent runs take turns."

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":  # SQLite takes one writer at a time anyway
            return super().handle(*args, **options)
        with connection.cursor() as cursor:
            cursor.execute(LOCK)
        try:
            return super().handle(*args, **options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(UNLOCK)
