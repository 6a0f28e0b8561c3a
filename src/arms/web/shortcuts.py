"""Small helpers every app's pages share."""

from __future__ import annotations

from django.http import Http404

from arms.common.errors import NotFound
from arms.customers.selectors import customer_get


def customer_or_404(user, customer_id: int):
    """The customer if ``user`` may see it; otherwise 404, exactly as for a customer that does not exist."""
    try:
        return customer_get(user=user, customer_id=customer_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
