"""Response headers every answer carries, pages, API and static files alike."""

from __future__ import annotations

from django.conf import settings

#: scripts only from ARMS's own static files (htmx, the Swagger UI): no inline script, no eval, no CDN.
#: Inline ``style`` attributes stay allowed (the templates and the server-drawn SVG charts use them; a style
#: cannot run code). ``data:`` images: the empty favicon and the Swagger UI's icons.
DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    """Set ``Content-Security-Policy`` (``settings.CONTENT_SECURITY_POLICY``) on every response.

    It sits before WhiteNoise in ``MIDDLEWARE`` so that static files get it too. A file served from the
    database could, if a browser ever rendered it, run nothing under this policy: a second guard behind
    :mod:`arms.common.files`.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
