"""Who may write: editors, with a token sent as `Token <key>` or `Bearer <key>`."""

import re

from django.contrib.auth.models import Group
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import exceptions, permissions
from rest_framework.authentication import get_authorization_header

EDITORS = "editors"


class EditorTokenAuthentication(TokenAuthentication):
    """knox tokens (stored hashed, revocable), under either the Token or the Bearer scheme."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in {b"token", b"bearer"}:
            return None
        if len(parts) != 2 or not re.fullmatch(rb"[0-9a-f]{64}", parts[1]):
            raise exceptions.AuthenticationFailed("The token is malformed.")
        return self.authenticate_credentials(parts[1])

    def authenticate_header(self, request):
        return 'Token realm="KP Data editors", Bearer'


class EditorsWrite(permissions.BasePermission):
    """Anyone may read; only editors may write (401 without a valid token, 403 for others)."""

    message = "Only editors may change the record."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        if not user or not user.is_authenticated:
            raise exceptions.NotAuthenticated("Send an editor's token: Authorization: Token <key>.")
        return user.groups.filter(name=EDITORS).exists()


def make_editor(user) -> str:
    """Put the user in the editors group and return a fresh token (shown once, stored hashed)."""
    group, _ = Group.objects.get_or_create(name=EDITORS)
    user.groups.add(group)
    _, token = AuthToken.objects.create(user=user, expiry=None)
    return token
