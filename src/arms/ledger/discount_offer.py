"""How an invoice's early-payment discount reads on the invoice, the statement, the letters and the portal.

One sentence everywhere ("现金折扣 2/10, n/30：于 2026-12-16 前付款 11,074.00 CNY（折扣 226.00 CNY）"), built here
from the terms fixed on the invoice at posting, so every page and document says the same. The terms use the
customary notation ``2/10, n/30`` (2% off if paid within 10 days, net within 30), which reads the same in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from arms.domain.discount import discount_amount, percent_text
from arms.domain.money import format_money


@dataclass(frozen=True)
class DiscountOffer:
    terms: str  # "2/10, n/30"
    until: date
    discount_minor: int
    pay_minor: int  # what settles the invoice if paid by ``until``
    currency: str
    window_open: bool
    expired: bool = False

    @property
    def text(self) -> str:
        if self.window_open:
            return _("Early-payment discount %(terms)s: pay %(amount)s by %(until)s (%(discount)s off).") % {
                "terms": self.terms, "amount": format_money(self.pay_minor, self.currency),
                "until": self.until.isoformat(), "discount": format_money(self.discount_minor, self.currency)}
        if self.expired:
            return _("Early-payment discount %(terms)s: the discount period ended on %(until)s.") % {
                "terms": self.terms, "until": self.until.isoformat()}
        # settled (with its discount or in full) while the window still runs
        return _("Early-payment discount %(terms)s, until %(until)s.") % {
            "terms": self.terms, "until": self.until.isoformat()}


def discount_offer(invoice: Any, *, today: date, always: bool = False) -> DiscountOffer | None:
    """The invoice's discount as shown on ``today``: while its window is open and it is open for more than the
    discount; with ``always`` (the invoice itself) also after the window or once settled. None without a discount."""
    basis_points, until = invoice.discount_bp, invoice.discount_until
    if not basis_points or until is None:
        return None
    discount = discount_amount(invoice.gross_minor, basis_points)
    window_open = today <= until and 0 < discount < invoice.amount_open_minor
    if not (window_open or always):
        return None
    terms = (f"{percent_text(basis_points)}/{(until - invoice.issue_date).days}, "
             f"n/{(invoice.due_date - invoice.issue_date).days}")
    return DiscountOffer(terms=terms, until=until, discount_minor=discount,
                         pay_minor=max(invoice.amount_open_minor - discount, 0), currency=invoice.currency,
                         window_open=window_open, expired=today > until)
