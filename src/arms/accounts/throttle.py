"""Login throttling (django-axes), by account and by address.

Every password check made for an HTTP request (the login page, the admin's login) goes through
``LoginThrottleBackend`` first: after ``AXES_FAILURE_LIMIT`` failures for one username, or from one address,
within ``AXES_COOLOFF_TIME``, further attempts for that username or from that address are refused with the
lockout page (HTTP 429, in the user's language) without the password being checked, until the cool-off ends or
an administrator runs ``arms axes_reset_username NAME`` / ``arms axes_reset_ip ADDRESS``. A successful login
clears the failures of that username and address (``AXES_RESET_ON_SUCCESS``).

API clients authenticate with bearer tokens (32 random bytes, stored hashed): there is no password to guess
through the API, so nothing to throttle there.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """axes' check, for checks made for a request. A password check without a request (``Client.login`` in
    tests, a management command) has no address to throttle and is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind ``ARMS_PROXY_COUNT`` trusted proxies the address the
    outermost of them saw (counted from the right of ``X-Forwarded-For``, which a client can only prepend to)."""
    proxies = getattr(settings, "ARMS_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def lockout_response(request, original_response=None, credentials=None):
    """The page a throttled login gets: 429, in the user's language, saying for how long and whom to ask."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "web/locked_out.html", {"minutes": minutes}, status=429)
