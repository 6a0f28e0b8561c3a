"""Every response under /api/ is the one JSON error shape, even when Ninja never saw the request.

Ninja's exception handlers (``arms.api``) cover what happens inside an operation. What happens before routing
or outside the operation is covered here, by one middleware and Django's error handlers:

- ``ApiErrorMiddleware`` (outermost) turns any error response under /api/ that is not JSON — Django's HTML 404
  for an unknown path, Ninja's bare 405 for a wrong method, the CSRF middleware's page, a debug page — into
  ``{"error": {"code", "message"}}`` with the same status. It never sees a traceback's text: it writes its own.
- ``handler400``/``handler403``/``handler404``/``handler500`` (named in ``arms.urls``) answer /api/ paths in
  JSON and leave the pages to Django's own views: a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is 413
  ``payload_too_large``; a database that does not answer (``OperationalError``/``InterfaceError``, wherever it
  was raised: session, authentication, view, response) is 503 ``unavailable`` with ``Retry-After``; anything
  else unexpected is 500 ``internal``, logged with its traceback and never shown.

What no Python code can answer for — a gunicorn worker killed on its timeout or out of memory — is the
proxy's job: see docs/production.md.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure

from arms.common.errors import ErrorCode

log = logging.getLogger("arms.api")

API_PREFIX = "/api/"
# How long a client should wait before retrying when the database does not answer (seconds).
RETRY_AFTER_SECONDS = 30
DATABASE_DOWN = (OperationalError, InterfaceError)


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def error_body(code: str, message: str, **extra) -> dict:
    return {"error": {"code": str(code), "message": str(message), **extra}}


def json_error(status: int, code: str, message: str, **extra) -> JsonResponse:
    response = JsonResponse(error_body(code, message, **extra), status=status,
                            json_dumps_params={"ensure_ascii": False})
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable() -> JsonResponse:
    return json_error(503, ErrorCode.UNAVAILABLE,
                      _("The database is not answering. Try again in %(seconds)s seconds.")
                      % {"seconds": RETRY_AFTER_SECONDS})


def internal_error() -> JsonResponse:
    return json_error(500, ErrorCode.INTERNAL,
                      _("Something went wrong on the server; it has been logged. Try again later."))


def payload_too_large() -> JsonResponse:
    return json_error(413, ErrorCode.PAYLOAD_TOO_LARGE,
                      _("The request body is larger than %(limit)s bytes.")
                      % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}, field="body")


def for_exception(exc: BaseException) -> JsonResponse:
    """The answer to an exception nothing else handled: 413, 503 or 500 (logged, never shown)."""
    if isinstance(exc, RequestDataTooBig):
        return payload_too_large()
    if isinstance(exc, DATABASE_DOWN):
        log.error("database unavailable: %s", exc)
        return unavailable()
    return internal_error()


# What a bare error status means when whatever answered it did not say (no JSON body).
_STATUS_CODES = {
    400: (ErrorCode.INVALID, "The request could not be understood."),
    401: (ErrorCode.UNAUTHENTICATED, "Send Authorization: Bearer <token>, or log in."),
    403: (ErrorCode.FORBIDDEN, "Permission denied."),
    404: (ErrorCode.NOT_FOUND, "Not found."),
    405: (ErrorCode.METHOD_NOT_ALLOWED, "This address does not take %(method)s."),
    413: (ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large."),
    503: (ErrorCode.UNAVAILABLE, "The service is not available. Try again later."),
}


def _message(status: int, request) -> tuple[str, str]:
    code, text = _STATUS_CODES.get(status, (ErrorCode.INTERNAL if status >= 500 else ErrorCode.INVALID,
                                            "The request failed."))
    return code, _(text) % {"method": request.method} if "%(" in text else _(text)


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiErrorMiddleware:
    """Outermost: no error response under /api/ leaves without the JSON error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request) or _is_json(response):
            return response
        replacement = _replacement(request, response)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        return replacement


def _replacement(request, response) -> JsonResponse:
    exc = getattr(request, "_arms_exception", None)
    if exc is not None and response.status_code >= 500:
        return for_exception(exc)
    code, message = _message(response.status_code, request)
    if response.status_code == 405 and "Allow" in response:
        allowed = response["Allow"]
        return json_error(405, code, message, details={"allowed": [m.strip() for m in allowed.split(",")]})
    return json_error(response.status_code, code, message)


def _remember(request):
    """Keep the exception being handled, for the middleware (a debug page would otherwise hide it)."""
    exc = sys.exc_info()[1]
    if exc is not None and request is not None:
        request._arms_exception = exc
    return exc


# Django's error handlers (arms.urls names them): JSON under /api/, Django's own pages elsewhere.

def bad_request(request, exception, *args, **kwargs):
    if is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return payload_too_large()
        return json_error(400, ErrorCode.INVALID, _("The request could not be understood."), field="body")
    return defaults.bad_request(request, exception, *args, **kwargs)


def permission_denied(request, exception, *args, **kwargs):
    if is_api(request):
        return json_error(403, ErrorCode.FORBIDDEN, str(exception) or _("Permission denied."))
    return defaults.permission_denied(request, exception, *args, **kwargs)


def page_not_found(request, exception, *args, **kwargs):
    if is_api(request):
        return json_error(404, ErrorCode.NOT_FOUND,
                          _("There is no API address %(path)s.") % {"path": request.path})
    return defaults.page_not_found(request, exception, *args, **kwargs)


def server_error(request, *args, **kwargs):
    exc = _remember(request)
    if is_api(request):
        return for_exception(exc) if exc is not None else internal_error()
    return defaults.server_error(request, *args, **kwargs)


def csrf_failure(request, reason="", *args, **kwargs):
    """CSRF_FAILURE_VIEW: the API's writes with a session cookie and no token are 403 ``forbidden`` in JSON."""
    if is_api(request):
        return json_error(403, ErrorCode.FORBIDDEN, _("CSRF check failed: send the X-CSRFToken header."))

    return django_csrf_failure(request, reason, *args, **kwargs)


def remember_exception(sender, request=None, **kwargs):
    """``got_request_exception``: Django is about to answer an uncaught exception; keep it for the middleware."""
    _remember(request)

