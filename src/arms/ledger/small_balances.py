"""Reads of small balances (小额尾差): the thresholds per currency, and which open items are residues.

A **residue** is an open item whose open amount is more than zero, less than its gross amount (it was partly
settled: a payment short by the bank's charges, a rounding difference) and less than the threshold of its currency
(``SmallBalanceThreshold``, default 50.00). A small invoice nobody has paid anything of is not a residue: it is a
debt like any other and is dunned.

``residue_q`` is the rule as one SQL condition, so dunning's selection, the credit check's overdue rule and the
residue list apply it in the database, never row by row in Python.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from arms.ledger.models import Invoice
from arms.ledger.models.small_balance import (
    SMALL_BALANCE_DEFAULT_MINOR,
    SmallBalanceAccount,
    SmallBalanceBatch,
    SmallBalanceSettings,
    SmallBalanceThreshold,
)

if TYPE_CHECKING:
    from arms.customers.models import Company


class Thresholds(dict[str, int]):
    """``{currency: threshold_minor}`` of the currencies set; any other currency answers the default."""

    def __missing__(self, currency: str) -> int:
        return SMALL_BALANCE_DEFAULT_MINOR


def small_balance_thresholds(company: Company | int) -> Thresholds:
    """The company's thresholds by currency; a currency without a row has the default (50.00)."""
    company_id = company if isinstance(company, int) else company.pk
    return Thresholds(SmallBalanceThreshold.objects.filter(company_id=company_id)
                      .values_list("currency", "threshold_minor"))


def small_balance_account(company: Company | int) -> str:
    """The account small balances are written off to (6603 unless the company chose 6711)."""
    company_id = company if isinstance(company, int) else company.pk
    account = (SmallBalanceSettings.objects.filter(company_id=company_id).values_list("account", flat=True).first())
    return account or SmallBalanceAccount.FINANCE_COSTS


def residue_q(prefix: str = "", *, looked_up: bool = False) -> Q:
    """The condition "this invoice is a residue" (see the module docstring), for ``Invoice`` querysets, or through
    a relation with ``prefix`` (``"invoice__"``). The few thresholds set are read here and written into the SQL
    as constants: one OR per (company, currency) row, and the default for every other currency.

    ``looked_up``: the threshold is looked up in the SQL instead, for each row the rest of the query keeps (a
    correlated subquery on the unique (company, currency) row, else the default): no query here, for a query over
    a few customers' items that runs very often (the credit check of every document or bulk call)."""
    p = prefix
    open_part = Q(**{f"{p}amount_open_minor__gt": 0, f"{p}amount_open_minor__lt": F(f"{p}gross_minor")})
    if looked_up:
        threshold = SmallBalanceThreshold.objects.filter(company_id=OuterRef(f"{p}company_id"),
                                                         currency=OuterRef(f"{p}currency")).values("threshold_minor")
        return open_part & Q(**{f"{p}amount_open_minor__lt": Coalesce(Subquery(threshold[:1]),
                                                                      Value(SMALL_BALANCE_DEFAULT_MINOR))})
    rows = list(SmallBalanceThreshold.objects.values_list("company_id", "currency", "threshold_minor"))
    set_q = [Q(**{f"{p}company_id": c, f"{p}currency": cur}) for c, cur, _t in rows]
    below = [Q(**{f"{p}company_id": c, f"{p}currency": cur, f"{p}amount_open_minor__lt": t}) for c, cur, t in rows]
    default = Q(**{f"{p}amount_open_minor__lt": SMALL_BALANCE_DEFAULT_MINOR})
    if set_q:
        default &= ~reduce(or_, set_q)
    return open_part & reduce(or_, [*below, default])


def residues(qs: QuerySet[Invoice] | None = None) -> QuerySet[Invoice]:
    """The residues among ``qs`` (every invoice by default)."""
    return (Invoice.objects.all() if qs is None else qs).filter(residue_q())


def batch_list(*, status: str = "") -> QuerySet[SmallBalanceBatch]:
    qs = SmallBalanceBatch.objects.select_related("requested_by", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-requested_at", "-pk")
