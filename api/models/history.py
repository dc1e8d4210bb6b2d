"""Every change to the record, written by database triggers: who, when, what, and the old values."""

from django.conf import settings
from django.db import models


class Change(models.Model):
    """One row created, changed or deleted, attributed to the public record it belongs to.

    Triggers on every table of the record write these rows (see api/history.py), so changes made
    by the API, the admin, a command, a bulk update or raw SQL are all kept.
    """

    collection = models.CharField(max_length=30, help_text="The collection, e.g. proposals.")
    record_id = models.CharField(
        max_length=120, help_text="The record's identifier: its code, slug, year or id."
    )
    table = models.CharField(max_length=60, help_text="The database table of the row.")
    part = models.CharField(
        max_length=60,
        help_text="What changed: record (the record's own fields), or a part such as positions, "
        "sources or positions.sources.",
    )
    # Also `lost`: an identifier whose record a restore of a backup lost (made after the
    # backup), kept so that it is never given to another record (api/backups.py).
    action = models.CharField(max_length=6, help_text="insert, update or delete.")
    old = models.JSONField(null=True, help_text="The row before the change; null for an insert.")
    new = models.JSONField(null=True, help_text="The row after the change; null for a delete.")
    actor = models.CharField(
        max_length=160,
        help_text="Who: api:<editor>, admin:<user>, command:<name>, or database for raw SQL.",
    )
    at = models.DateTimeField(help_text="When the change was made.")
    txid = models.BigIntegerField(
        null=True,
        help_text="The writing transaction (PostgreSQL's id, SQLite's count): a restore replays a "
        "whole deletion, and the feed never skips a late commit.",
    )

    write = models.BigIntegerField(
        null=True,
        help_text="The write within its transaction (one request, one command run): the rows of "
        "one write are one change in the feed. Null for raw SQL on PostgreSQL.",
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["collection", "record_id", "id"], name="change_record"),
            models.Index(fields=["txid", "id"], name="change_feed"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.collection}/{self.record_id} ({self.part})"


class Actor(models.Model):
    """Who is writing, for SQLite's triggers (PostgreSQL's read a transaction setting instead).

    One row, set at the start of a write transaction and cleared before it commits; SQLite runs
    one write transaction at a time, so the row always names the current writer.
    """

    name = models.CharField(max_length=160, blank=True, default="")
    txn = models.BigIntegerField(default=0, help_text="Counts write transactions.")

    def __str__(self) -> str:
        return self.name or "database"


class Version(models.Model):
    """The dataset's version in this database: one row, whose number every transaction that
    writes to the record bumps once (PostgreSQL's triggers, api/history.py).

    The bump locks the row until the transaction ends, so numbers follow commit order, and a
    reader sees the number of the last transaction its snapshot holds: a key for kept answers
    and ETags that changes when this database's data changes, and only then.
    """

    number = models.BigIntegerField(default=0, help_text="Bumped once per writing transaction.")
    txid = models.BigIntegerField(default=0, help_text="The transaction that bumped it last.")

    def __str__(self) -> str:
        return f"version {self.number}"


class EditorName(models.Model):
    """The name an editor is shown by in the history and the feed: chosen when the account is
    made (`create_editor --name`), edited in the admin; never the login name or e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editor_name"
    )
    name = models.CharField(max_length=150, help_text="The editor's public name, e.g. Jane Editor.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
