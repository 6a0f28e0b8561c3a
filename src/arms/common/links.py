"""Absolute links to pages of this ARMS, for anything read outside a browser tab on it (e-mails, notifications).

They all start with ``settings.ARMS_BASE_URL`` (the environment's ``ARMS_BASE_URL``): the address users reach
ARMS at, which the server cannot know itself behind a proxy, and which a background worker has no request for.
"""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (``/reports/monthly/``) on the configured base URL; an already absolute URL is returned as is."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.ARMS_BASE_URL.rstrip('/')}/{path.lstrip('/')}"
