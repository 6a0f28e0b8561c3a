"""The four-eyes rule, once: whoever asked for something never decides on it.

Every approval calls ``require_second_person`` before it changes anything — credit limit requests (approve and
reject), credit overrides (approve and reject), installment plans (approve and reject), and every approval that
comes later. No role lifts it, a superuser's included. The refusal is one error with one code, 403
``four_eyes`` (docs/api.md), and the caller's transaction writes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from arms.common.errors import ErrorCode, Forbidden


class FourEyes(Forbidden):
    code = ErrorCode.FOUR_EYES


def require_second_person(requester, approver) -> None:
    """Refuse with ``FourEyes`` when ``approver`` is the person who asked (``requester``: a user, an id or None)."""
    requester_pk = getattr(requester, "pk", requester)
    if requester_pk is not None and requester_pk == getattr(approver, "pk", None):
        raise FourEyes(_("You asked for this yourself; another person must decide on it."))
