"""Who is in the portal: the access a contact entered with, held in the session under its own key.

A portal session and a staff login share Django's session machinery but nothing else: the portal reads only
``PORTAL_SESSION_KEY`` (never ``request.user``), and staff views read only the authenticated user (a portal
session sets none). Every portal view goes through :func:`portal_view`, which re-reads the access on each request
(``portal_access_live``): a link revoked or expired mid-session ends the session at the next click.

Entering with a bad token is rate limited per client address (:func:`entry_blocked`, :func:`entry_failed`): a
counter in Django's cache (as many tries as ``ARMS_PORTAL_ENTRY_FAILURE_LIMIT`` within
``ARMS_PORTAL_ENTRY_COOLOFF_MINUTES``), so a refused token writes nothing to the database.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import translation

from arms.accounts.throttle import client_ip
from arms.audit.services import ExternalActor
from arms.customers.portal_access import portal_access_live

PORTAL_SESSION_KEY = "arms_portal_access"
PORTAL_LANGUAGE_KEY = "arms_portal_language"
LANGUAGES = ("zh-hans", "en")


def portal_actor(request) -> ExternalActor:
    """The contact acting, for the audit trail: ``portal:<contact name>@<client address>``."""
    return ExternalActor(kind="portal", name=request.portal.contact.name, address=client_ip(request) or "")


def portal_language(request) -> str:
    language = request.session.get(PORTAL_LANGUAGE_KEY)
    return language if language in LANGUAGES else LANGUAGES[0]


def portal_session_open(request, access) -> None:
    """Hold ``access`` in the session (a new session key, so a session id known before is worth nothing)."""
    request.session.cycle_key()
    request.session[PORTAL_SESSION_KEY] = access.pk
    request.session.setdefault(PORTAL_LANGUAGE_KEY, LANGUAGES[0])


def portal_logout(request) -> None:
    request.session.pop(PORTAL_SESSION_KEY, None)


def plain_page(request, status: int, *, reason: str):
    """The page a refused entry or an ended session gets: no data, no links into the portal."""
    translation.activate(portal_language(request))
    return render(request, "portal/refused.html", {"reason": reason}, status=status)


def portal_view(view):
    """Run ``view`` for the contact whose live access is in the session (``request.portal``), in the portal's
    language; anything else gets the plain 403 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access = portal_access_live(request.session.get(PORTAL_SESSION_KEY))
        if access is None:
            if PORTAL_SESSION_KEY in request.session:
                portal_logout(request)
            return plain_page(request, 403, reason="ended")
        request.portal = access
        language = portal_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Language", language)
        # never a Referer to another site; "no-referrer" would make browsers send "Origin: null" with the
        # portal's own forms, which the CSRF check refuses
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def _failures_key(request) -> str:
    return f"arms:portal-entry-failures:{client_ip(request) or 'unknown'}"


def entry_blocked(request) -> bool:
    """True when this address has tried too many bad links within the cool-off."""
    return int(cache.get(_failures_key(request), 0)) >= settings.ARMS_PORTAL_ENTRY_FAILURE_LIMIT


def entry_failed(request) -> None:
    """Count one bad link from this address (the cool-off runs from the first failure)."""
    key = _failures_key(request)
    timeout = settings.ARMS_PORTAL_ENTRY_COOLOFF_MINUTES * 60
    if not cache.add(key, 1, timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout)
