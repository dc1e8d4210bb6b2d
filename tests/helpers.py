"""What many test modules share. Fixtures live in conftest.py."""

import contextlib

from django.db import transaction


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    """For a module-scoped fixture: what it writes is seen by the module's tests (each in a
    transaction of its own inside this one) and undone after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
