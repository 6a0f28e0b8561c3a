"""Collection-plan lists as export tables (``arms.web.exports``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.collectionplans.models import CollectionPlan
from arms.collectionplans.selectors import OwnerVariance
from arms.domain.money import to_decimal
from arms.web.exports import AMOUNT, DATETIME, INT, PERCENT, Column, Table

CHUNK = 2000


def plan_table(plans: QuerySet[CollectionPlan]) -> Table:
    columns = [Column(_("Number")), Column(_("Customer code")), Column(_("Customer"), width=30),
               Column(_("Contract")), Column(_("Owner")), Column(_("Status")), Column(_("Currency")),
               Column(_("Lines"), INT), Column(_("Planned total"), AMOUNT), Column(_("Drafted at"), DATETIME),
               Column(_("Decided at"), DATETIME)]
    rows = ([p.number, p.customer.code, p.customer.name, p.contract.number if p.contract else "",
             person_name(p.owner), p.get_status_display(), p.currency, p.line_count,
             to_decimal(p.total_minor, p.currency), p.created_at, p.decided_at]
            for p in plans.iterator(chunk_size=CHUNK))
    return Table(_("Collection plans"), columns, rows)


def variance_table(rows: Iterable[OwnerVariance], month: date) -> Table:
    columns = [Column(_("Owner")), Column(_("Currency")), Column(_("Plans"), INT), Column(_("Planned"), AMOUNT),
               Column(_("Received"), AMOUNT), Column(_("Variance"), AMOUNT), Column(_("Achieved"), PERCENT),
               Column(_("Plans behind"), INT)]
    data = ([r.owner_name, r.currency, r.plans, to_decimal(r.planned_minor, r.currency),
             to_decimal(r.received_minor, r.currency), to_decimal(r.variance_minor, r.currency),
             Decimal(r.achieved_bp) / 100 if r.achieved_bp is not None else None, r.plans_behind] for r in rows)
    return Table(_("Collection plan variance %(month)s") % {"month": f"{month:%Y-%m}"}, columns, data)
