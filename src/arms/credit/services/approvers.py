"""Telling the approvers that a limit change request waits for them.

Both ways a request is made call it: a manual request (``limits``) and an accepted rating proposal with a
changed limit (``ratings``), so it lives below both.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.common.notify import notify
from arms.credit.models import LimitChangeRequest


def notify_approvers(request: LimitChangeRequest) -> None:
    groups = []
    if request.needs_credit_manager and request.credit_approved_by_id is None:
        groups.append("credit_manager")
    if request.needs_finance_manager and request.finance_approved_by_id is None:
        groups.append("finance_manager")
    if not groups:
        return
    users = get_user_model().objects.filter(groups__name__in=groups, is_active=True).exclude(
        pk=request.requested_by_id).distinct()
    customer = request.customer
    notify(users, kind="credit.limit_request",
           subject=_("Credit limit request for %(customer)s waits for you") % {"customer": customer.name},
           body=_("%(user)s asks to change the credit limit of %(customer)s: %(justification)s") % {
               "user": person_name(request.requested_by), "customer": customer,
               "justification": request.justification},
           link=f"/credit/limit-requests/{request.pk}/")
