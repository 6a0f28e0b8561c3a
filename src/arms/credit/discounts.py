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
    return _terms(*row) if row is not None else None


def discount_terms_many(*, customer_ids: list[int]) -> dict[int, tuple[int, int]]:
    """``discount_terms`` of many customers in one query (the bulk path); a customer without a discount is left out."""
    found = {}
    for customer_id, pct, days in (CreditProfile.objects.filter(customer_id__in=customer_ids)
                                   .values_list("customer_id", "discount_pct", "discount_days")):
        terms = _terms(pct, days)
        if terms is not None:
            found[customer_id] = terms
    return found


def _terms(pct: Any, days: Any) -> tuple[int, int] | None:
    basis_points = int(pct * 100)
    if basis_points <= 0:
        return None
    return basis_points, int(days)
