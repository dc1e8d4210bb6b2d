"""Request rates per client, from THROTTLE_ANON_RATE and THROTTLE_EDITOR_RATE ("off": none)."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    scope = "anon"


class EditorThrottle(UserRateThrottle):
    scope = "editor"

    def allow_request(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return True  # anonymous clients have their own limit
        return super().allow_request(request, view)
