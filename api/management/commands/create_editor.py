"""`manage.py create_editor <username> --name "Jane Editor"`: make an editor, with the public
name the history shows; its fresh token is the last line."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from api import models as m
from api.auth import make_editor


class Command(BaseCommand):
    help = (
        "Create an editor (or make an existing user one) and print a fresh API token on the "
        "last line. The token is shown once and stored hashed; delete it in the admin to revoke."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The editor's user name.")
        parser.add_argument("--email", default="", help="E-mail address, for a new user.")
        parser.add_argument(
            "--name",
            default="",
            help="The public name the history and the feed show for the editor's changes (never "
            "the user name). Asked for when left out at a terminal; the admin can change it.",
        )

    def handle(self, *args, username: str, email: str, name: str, **options):
        username = username.strip()
        if not username or len(username) > 150 or "\x00" in username:
            raise CommandError("Give a user name of 1 to 150 characters.")
        User = get_user_model()
        named = m.EditorName.objects.filter(user__username=username).exists()
        if not name.strip() and not named and sys.stdin.isatty():
            name = input("Public name, shown with this editor's changes: ")
        name = name.strip()
        if len(name) > 150 or "\x00" in name:
            raise CommandError("Give a public name of at most 150 characters.")
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username, defaults={"email": email})
            if created:
                user.set_unusable_password()
                user.save()
            if name:
                m.EditorName.objects.update_or_create(user=user, defaults={"name": name})
            token = make_editor(user)
        if not name and not named:
            self.stderr.write(
                f"No public name given: the history shows this editor as Editor {user.pk} until "
                "one is set (--name, or in the admin)."
            )
        self.stderr.write(f"{'Created' if created else 'Promoted'} editor {username}; token:")
        self.stdout.write(token)
