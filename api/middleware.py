"""The admin's writes, attributed in the history to the editor who made them."""

from django.db import transaction

from . import history


class AdminChangesMiddleware:
    """Runs each admin POST in one transaction whose changes are signed admin:<user>."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.method == "POST"
            and request.path.startswith("/admin/")
            and user
            and (user.is_authenticated)
        ):
            with transaction.atomic(), history.actor(f"admin:{user.get_username()}"):
                return self.get_response(request)
        return self.get_response(request)
