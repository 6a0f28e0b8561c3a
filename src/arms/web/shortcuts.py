"""Small helpers every app's pages share."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from arms.common.errors import NotFound
from arms.customers.selectors import customer_get


def customer_or_404(user, customer_id: int):
    """The customer if ``user`` may see it; otherwise 404, exactly as for a customer that does not exist."""
    try:
        return customer_get(user=user, customer_id=customer_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def safe_next(request, default, *args) -> str:
    """Where to go after a form: the ``next`` the form posted (or the query string named) if it stays on this
    site, else ``default`` (a URL name, with ``args``, or a path).

    The one check of ``next`` for every view: a path on this host, or an absolute URL to this host (over HTTPS if
    the request came over HTTPS). ``//evil.example``, ``https://evil.example``, ``/\\evil.example`` and
    ``javascript:`` are refused, so a link someone was sent can never bounce them off ARMS to another site.
    """
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return resolve_url(default, *args)
