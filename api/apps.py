"""App configuration for the KP Data API."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "KP Data"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .history import install

        # The history triggers follow the tables: recreated after every migrate.
        post_migrate.connect(install, sender=self)
