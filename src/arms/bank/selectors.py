"""Reads of bank accounts, imported statements and their lines (everyone with the view permission sees all of
them: they are the company's own accounts, not a customer's)."""

from __future__ import annotations

from datetime import date

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from arms.bank.models import BankAccount, BankStatement, StatementLine
from arms.common.errors import NotFound


def bank_account_list(*, active: bool | None = None) -> QuerySet[BankAccount]:
    qs = BankAccount.objects.order_by("-active", "name", "pk")
    return qs if active is None else qs.filter(active=active)


def bank_account_get(*, account_id: int) -> BankAccount:
    account = BankAccount.objects.filter(pk=account_id).first()
    if account is None:
        raise NotFound(_("Bank account %(id)s not found.") % {"id": account_id}, field="account_id")
    return account


def statement_list(*, account_id: int | None = None, date_from: date | None = None, date_to: date | None = None,
                   gaps_only: bool = False) -> QuerySet[BankStatement]:
    qs = (BankStatement.objects.select_related("account", "imported_by").annotate(currency=F("account__currency"))
          .order_by("-imported_at", "-id"))
    if account_id:
        qs = qs.filter(account_id=account_id)
    if date_from:
        qs = qs.filter(last_date__gte=date_from)
    if date_to:
        qs = qs.filter(first_date__lte=date_to)
    if gaps_only:
        qs = qs.filter(gap_minor__isnull=False)
    return qs


def statement_get(*, statement_id: int) -> BankStatement:
    statement = (BankStatement.objects.select_related("account", "imported_by")
                 .annotate(currency=F("account__currency")).filter(pk=statement_id).first())
    if statement is None:
        raise NotFound(_("Bank statement %(id)s not found.") % {"id": statement_id}, field="statement_id")
    return statement


def statement_lines(statement: BankStatement) -> QuerySet[StatementLine]:
    """The statement's lines in the bank's order (booking date, then as they came in the file)."""
    return statement.lines.select_related("customer").order_by("booking_date", "source_line", "pk")
