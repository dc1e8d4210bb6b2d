"""`manage.py create_editor <username>`: make an editor; its fresh token is the last line."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from api.auth import make_editor


class Command(BaseCommand):
    help = (
        "Create an editor (or make an existing user one) and print a fresh API token on the "
        "last line. The token is shown once and stored hashed; delete it in the admin to revoke."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The editor's user name.")
        parser.add_argument("--email", default="", help="E-mail address, for a new user.")

    def handle(self, *args, username: str, email: str, **options):
        username = username.strip()
        if not username or len(username) > 150 or "\x00" in username:
            raise CommandError("Give a user name of 1 to 150 characters.")
        User = get_user_model()
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username, defaults={"email": email})
            if created:
                user.set_unusable_password()
                user.save()
            token = make_editor(user)
        self.stderr.write(f"{'Created' if created else 'Promoted'} editor {username}; token:")
        self.stdout.write(token)
