"""`/healthz`: is the app up, and can it reach its database?"""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .problems import problem_response


@never_cache
@require_safe
def healthz(request):
    """200 `{"status": "ok", "database": "ok"}`, or a problem-details 503 when it is down."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return problem_response(503, "The database cannot be reached.", database="unavailable")
    return JsonResponse({"status": "ok", "database": "ok"})
