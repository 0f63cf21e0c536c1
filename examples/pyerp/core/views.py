import logging
import os

from django.db import Error as DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def app_version():
    """The release this container runs: APP_VERSION, baked into the image by the workflow."""
    return os.environ.get("APP_VERSION") or "dev"


@never_cache
@require_safe
def health(request):
    """Liveness and readiness in one: 200 when the app can query its database, else 503.

    Polled by the container healthcheck (compose.yaml) and by the deploy action
    after each switch (``health-url`` in deploy.yml). The body never contains
    connection details; those go to the log.
    """
    version = app_version()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:  # django.db.Error: OperationalError, InterfaceError, ...
        logger.warning("health check: database query failed: %s", exc)
        return JsonResponse(
            {
                "status": "error",
                "version": version,
                "reason": f"database unavailable ({exc.__class__.__name__})",
            },
            status=503,
        )
    return JsonResponse({"status": "ok", "version": version})


@require_safe
def sample_pdf(request):
    """A one-page PDF rendered by WeasyPrint: proves the image's Pango/Cairo/font stack works."""
    # Imported here so that the rest of the app (and the tests) run without
    # WeasyPrint's native libraries installed.
    from weasyprint import HTML

    html = render_to_string(
        "core/sample_document.html",
        {"version": app_version(), "generated_at": timezone.now()},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="sample.pdf"'
    return response
