"""Incentive schemes, payout sheets and their drill-downs as Excel/CSV, through the one export helper
(``arms.web.exports``; a name that looks like a formula stays text). ARMS pays nothing: the sheet is what finance
pays from."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.domain.money import to_decimal
from arms.incentives.models import IncentiveScheme, PayoutLine
from arms.web.exports import AMOUNT, DATE, DECIMAL, INT, PERCENT, Column, Table

CHUNK = 2000


def percent(bp: int | None) -> Decimal | None:
    """Basis points as a Decimal number of percent (1250 -> 12.5)."""
    return None if bp is None else Decimal(int(bp)) / 100


def points(bp: int | None) -> Decimal | None:
    """Points are kept in basis points: 8500 -> 85 points."""
    return None if bp is None else Decimal(int(bp)) / 100


def scheme_table(schemes: Iterable[IncentiveScheme]) -> Table:
    columns = [Column(_("Month")), Column(_("Status")), Column(_("Base bonus pool"), AMOUNT),
               Column(_("Bonus pool"), AMOUNT), Column(_("Pool change"), PERCENT), Column(_("Members"), INT),
               Column(_("Computed by")), Column(_("Approved by")), Column(_("Note"), width=40)]
    rows = ([f"{s.period:%Y-%m}", s.get_status_display(), to_decimal(s.base_pool_minor), to_decimal(s.pool_minor),
             percent(s.pool_step_bp), getattr(s, "member_count", None), person_name(s.computed_by),
             person_name(s.approved_by), s.note] for s in schemes)
    return Table(_("Incentive schemes"), columns, rows)


def sheet_table(scheme: IncentiveScheme, lines: Iterable[PayoutLine],
                role_label: Callable[[str], str]) -> Table:
    """The payout sheet: one row per person, every component's figure, points and amount, the deduction, the
    payout; the scheme's pool and weights above it."""
    columns = [Column(_("Person"), width=20), Column(_("Role")), Column(_("Collections"), AMOUNT),
               Column(_("Collections points"), DECIMAL), Column(_("Collections amount"), AMOUNT),
               Column(_("Recovery rate"), PERCENT), Column(_("Recovery amount"), AMOUNT),
               Column(_("Dunning success rate"), PERCENT), Column(_("Dunning amount"), AMOUNT),
               Column(_("Average rating"), DECIMAL), Column(_("Ratings"), INT), Column(_("Rating amount"), AMOUNT),
               Column(_("Before deductions"), AMOUNT), Column(_("Items past due"), INT),
               Column(_("Amount past due"), AMOUNT), Column(_("Deduction"), AMOUNT), Column(_("Payout"), AMOUNT)]
    rows = ([person_name(line.user), role_label(line.role), to_decimal(line.collections_minor),
             points(line.points.get("collections")), to_decimal(line.amounts.get("collections", 0)),
             percent(line.recovery_bp), to_decimal(line.amounts.get("recovery", 0)), percent(line.dunning_bp),
             to_decimal(line.amounts.get("dunning", 0)), points(line.rating_bp), line.ratings_count,
             to_decimal(line.amounts.get("rating", 0)), to_decimal(line.gross_minor), line.overdue_items,
             to_decimal(line.overdue_minor), to_decimal(line.deduction_minor), to_decimal(line.total_minor)]
            for line in lines)
    preamble: list[list[Any]] = [
        [_("Payout sheet of %(month)s (%(status)s)") % {"month": f"{scheme.period:%Y-%m}",
                                                        "status": scheme.get_status_display()}],
        [_("Base bonus pool"), to_decimal(scheme.base_pool_minor), _("DSO of the month before"),
         scheme.dso_previous, _("DSO of the month"), scheme.dso_current, _("Pool change"),
         percent(scheme.pool_step_bp), _("Bonus pool"), to_decimal(scheme.pool_minor)],
        [],
    ]
    return Table(_("Payout sheet %(month)s") % {"month": f"{scheme.period:%Y-%m}"}, columns, rows,
                 preamble=preamble)


def ratings_table(ratings: Iterable[Any]) -> Table:
    columns = [Column(_("Person rated")), Column(_("Rated by")), Column(_("Score"), INT), Column(_("Note"), width=40)]
    rows = ([person_name(r.ratee), person_name(r.rater), r.score, r.note] for r in ratings)
    return Table(_("Mutual ratings"), columns, rows)


def drill_table(part: str, label: str, items: Iterable[Any]) -> Table:
    """The items behind one figure of a person's payout line."""
    if part == "collections":
        columns = [Column(_("Date"), DATE), Column(_("Customer"), width=30), Column(_("Invoice")),
                   Column(_("Receipt number")), Column(_("Cash applied (CNY)"), AMOUNT)]
        rows: Iterable[list[Any]] = ([a.date, a.invoice.customer.name, a.invoice.number, a.payment.number,
                                      to_decimal(a.cash_base_minor)] for a in items)
    elif part == "ratings":
        columns = [Column(_("Rated by")), Column(_("Score"), INT), Column(_("Note"), width=40)]
        rows = ([person_name(r.rater), r.score, r.note] for r in items)
    else:
        columns = [Column(_("Customer"), width=30), Column(_("Invoice")), Column(_("Issued"), DATE),
                   Column(_("Due"), DATE), Column(_("Gross (CNY)"), AMOUNT)]
        rows = ([i.customer.name, i.number, i.issue_date, i.due_date, to_decimal(i.gross_base_minor)]
                for i in items)
    return Table(label, columns, rows)
