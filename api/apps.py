"""App configuration for the KP Data API."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "KP Data"

    def ready(self):
        from django.core.signals import request_finished
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from .history import install, uninstall_for_migrate
        from .logs import request_done
        from .pooler import install as time_transactions

        # The history triggers follow the tables: recreated after every migrate.
        pre_migrate.connect(uninstall_for_migrate, sender=self)
        post_migrate.connect(install, sender=self)
        request_finished.connect(request_done)
        # Behind PgBouncer, each transaction sets its own statement timeout.
        connection_created.connect(time_transactions)
