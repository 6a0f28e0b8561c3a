"""The early-payment discount a customer's credit policy grants (``ledger.discount_terms``).

The grade policy's discount (``GradePolicy.discount_pct``/``discount_days``) is copied onto the customer's credit
profile when a rating is accepted; the ledger reads the profile's through this hook when it posts an invoice (it may
not import credit) and fixes the terms on the invoice. A customer without a profile, or with 0% or no days, gets none.
"""

from __future__ import annotations

from typing import Any

from arms.credit.models import CreditProfile


def discount_terms(*, customer: Any) -> tuple[int, int] | None:
    """``(basis points, days)`` from ``customer``'s credit profile, or ``None``."""
    row = CreditProfile.objects.filter(customer_id=customer.pk).values_list("discount_pct", "discount_days").first()
    if row is None:
        return None
    pct, days = row
    basis_points = int(pct * 100)
    if basis_points <= 0:
        return None
    return basis_points, int(days)
