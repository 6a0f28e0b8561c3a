"""Reads of cash application for the clerk's workbench: statement lines by status, learned payers, unapplied cash
by age, and the bank reconciliation (银行余额调节表). Every read is a few set-based queries, never one per line.

The reconciliation of one bank account on one day compares two balances and names what lies between them:

- **statement balance**: what the bank says the account held at the close of the day: the opening balance of the
  account's first statement, plus every gap a later statement reported (its opening minus the previous closing),
  plus every line booked on or before the day;
- **book balance**: the account's 1002 sub-account (``BankAccount.ledger_account``) in the journal, debits minus
  credits of the lines dated on or before the day (CNY fen, as the journal keeps them). ARMS books receipts to 1002
  itself, so ``book_lines`` says which of them are this account's;
- **in the bank, not in the books** (银行已收/已付、企业未入账): lines booked on or before the day with no receipt
  booked for them by that day (new, suggested, unmatched, set aside, or applied with a receipt dated later);
- **in the books, not in the bank** (企业已收/已付、银行未入账): receipts in the account's book dated on or before the
  day that no statement line booked by that day explains (keyed in by hand, or booked before the bank did).

Adjusted, the two sides meet: statement balance + book-only items = book balance + bank-only items. What is left
is the ``unexplained`` difference, shown as such and never hidden (typically the account's opening balance, which
an accounts-receivable ledger does not carry, or a receipt booked at another amount than the bank line).

Bank accounts and imported statements: everyone with the view permission sees all of them (they are the
company's own accounts, not a customer's).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Count, Exists, F, IntegerField, Max, Min, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from arms.bank import cash_selectors
from arms.bank.enums import OPEN_STATUSES, LineStatus
from arms.bank.models import BankAccount, BankStatement, LineApplication, PayerAlias, StatementLine
from arms.common.errors import NotFound
from arms.domain.aging import AgingBasis, Bucket, buckets, cutoff_dates
from arms.domain.journal import AccountCode
from arms.ledger.models import JournalLine, Payment


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


#: ages of unapplied cash, in days since it was received: 0–30, 31–60, 61–90, 91–180, over 180
UNAPPLIED_BOUNDS: tuple[int, ...] = (30, 60, 90, 180)
#: the order of the status tabs
STATUS_ORDER: tuple[str, ...] = (LineStatus.NEW, LineStatus.SUGGESTED, LineStatus.AUTO, LineStatus.MANUAL,
                                 LineStatus.UNMATCHED, LineStatus.IGNORED)


# ---------------------------------------------------------------- statement lines


def line_list(*, account_id: int | None = None, status: str = "", date_from: date | None = None,
              date_to: date | None = None, amount_min: int | None = None, amount_max: int | None = None,
              search: str = "") -> QuerySet[StatementLine]:
    """Cash application's statement lines (``cash_selectors.line_list``, newest first) with the workbench's filters
    on top: an amount range and a text search."""
    qs = cash_selectors.line_list(account_id=account_id, status=status, date_from=date_from, date_to=date_to)
    if amount_min is not None:
        qs = qs.filter(amount_minor__gte=amount_min)
    if amount_max is not None:
        qs = qs.filter(amount_minor__lte=amount_max)
    if search:
        qs = qs.filter(Q(counterparty_name__icontains=search) | Q(remittance__icontains=search)
                       | Q(bank_reference__icontains=search) | Q(counterparty_account__icontains=search)
                       | Q(customer__name__icontains=search))
    return qs


def line_status_counts(queryset: QuerySet[StatementLine]) -> dict[str, int]:
    """How many lines of ``queryset`` each status has (every status present, zero where none): one query."""
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in STATUS_ORDER}


def next_open_line(*, after: StatementLine | None, status: str = "", account_id: int | None = None,
                   backwards: bool = False) -> StatementLine | None:
    """The line the review screen shows after (or before) ``after`` in the list's order (newest first), among the
    lines still to decide (``status`` or every open status)."""
    qs = line_list(account_id=account_id)
    qs = qs.filter(status=status) if status else qs.filter(status__in=OPEN_STATUSES)
    if after is not None:
        older = Q(booking_date__lt=after.booking_date) | Q(booking_date=after.booking_date, id__lt=after.pk)
        newer = Q(booking_date__gt=after.booking_date) | Q(booking_date=after.booking_date, id__gt=after.pk)
        qs = qs.filter(newer if backwards else older)
    if backwards:
        return qs.order_by("booking_date", "id").first()
    return qs.first()


# ---------------------------------------------------------------- learned payers


def alias_list(*, customer_id: int | None = None, kind: str = "", search: str = "") -> QuerySet[PayerAlias]:
    """Learned payers (``cash_selectors.alias_list``) with a text search over the value and the customer."""
    qs = cash_selectors.alias_list(customer_id=customer_id, kind=kind)
    if search:
        qs = qs.filter(Q(value__icontains=search) | Q(customer__name__icontains=search)
                       | Q(customer__code__icontains=search))
    return qs.order_by("customer__code", "kind", "value", "id")


# ---------------------------------------------------------------- unapplied cash by age


def unapplied_buckets() -> list[Bucket]:
    return buckets(UNAPPLIED_BOUNDS, AgingBasis.INVOICE)


def unapplied_cash_list(*, payments: QuerySet[Payment], today: date, bucket: str = "") -> QuerySet[Payment]:
    """Receipts (of ``payments``, the ones the user may see) with cash not yet applied, oldest first; ``bucket``
    (a key of ``unapplied_buckets``) keeps those whose days since receipt fall in it."""
    qs = payments.filter(amount_unallocated_minor__gt=0).exclude(status="reversed")
    if bucket:
        bucket_list = unapplied_buckets()
        keys = [b.key for b in bucket_list]
        if bucket in keys:
            index = keys.index(bucket)
            cutoffs = cutoff_dates(today, bucket_list)
            if index < len(cutoffs) and cutoffs[index] is not None:
                qs = qs.filter(received_date__gte=cutoffs[index])
            if index > 0 and cutoffs[index - 1] is not None:
                qs = qs.filter(received_date__lt=cutoffs[index - 1])
    return qs.order_by("received_date", "id")


def unapplied_totals(queryset: QuerySet[Payment], *, today: date) -> list[dict[str, Any]]:
    """Per currency: the count, the unapplied total and the total of each age bucket, over the whole list (one
    query). ``{"currency", "count", "total", "buckets": [minor, ...]}``."""
    bucket_list = unapplied_buckets()
    cutoffs = cutoff_dates(today, bucket_list)
    sums = {}
    for index, _bucket in enumerate(bucket_list):
        condition = Q()
        if index < len(cutoffs) and cutoffs[index] is not None:
            condition &= Q(received_date__gte=cutoffs[index])
        if index > 0 and cutoffs[index - 1] is not None:
            condition &= Q(received_date__lt=cutoffs[index - 1])
        sums[f"b{index}"] = Coalesce(Sum("amount_unallocated_minor", filter=condition), 0)
    rows = (queryset.order_by().values("currency")
            .annotate(count=Count("pk"), total=Coalesce(Sum("amount_unallocated_minor"), 0), **sums)
            .order_by("currency"))
    return [{"currency": row["currency"], "count": row["count"], "total": row["total"],
             "buckets": [row[f"b{i}"] for i in range(len(bucket_list))]} for row in rows]


def age_in_days(received: date, today: date) -> int:
    return max((today - received).days, 0)


# ---------------------------------------------------------------- bank reconciliation (银行余额调节表)


@dataclass(frozen=True)
class BankOnlyItem:
    """A statement line the books do not hold by the day."""

    line_id: int
    booking_date: date
    amount_minor: int
    counterparty_name: str
    remittance: str
    bank_reference: str
    status: str


@dataclass(frozen=True)
class BookOnlyItem:
    """A receipt (or an entry without one) in the account's book that no statement line booked by the day explains."""

    group: int
    date: date
    amount_minor: int
    memo: str
    customer_name: str
    payment_id: int | None


@dataclass(frozen=True)
class Reconciliation:
    account: BankAccount
    on: date
    currency: str
    opening_known: bool
    statement_balance_minor: int
    book_balance_minor: int
    bank_only_minor: int
    bank_only_count: int
    book_only_minor: int
    book_only_count: int

    @property
    def adjusted_statement_minor(self) -> int:
        """银行对账单余额 + 企业已入账银行未入账."""
        return self.statement_balance_minor + self.book_only_minor

    @property
    def adjusted_book_minor(self) -> int:
        """企业账面余额 + 银行已入账企业未入账."""
        return self.book_balance_minor + self.bank_only_minor

    @property
    def unexplained_minor(self) -> int:
        return self.adjusted_statement_minor - self.adjusted_book_minor

    @property
    def difference_minor(self) -> int:
        return self.statement_balance_minor - self.book_balance_minor


def _payments_of_lines(lines: QuerySet[StatementLine]) -> Q:
    """Journal lines whose entry belongs to a receipt recorded for one of ``lines`` (its own or a share's)."""
    return (Q(entry__payment_id__in=lines.filter(payment__isnull=False).values("payment_id"))
            | Q(entry__payment_id__in=LineApplication.objects.filter(line__in=lines).values("payment_id")))


def book_lines(account: BankAccount, on: date) -> QuerySet[JournalLine]:
    """The journal lines that make the account's book balance at the close of ``on``.

    ARMS books receipts to 1002 itself unless the chart has the account's sub-account, so the book of one account
    is: lines on its own sub-account (when it is not plain 1002); lines on 1002 of receipts recorded for this
    account's statement lines; and receipts traced to no statement line (keyed in by hand) when they are booked on
    exactly the account's code or the company has no other bank account (they cannot be told apart otherwise).
    """
    company_lines = StatementLine.objects.filter(account__company_id=account.company_id)
    mine = _payments_of_lines(StatementLine.objects.filter(account=account))
    untraced = ~_payments_of_lines(company_lines)
    only_account = not BankAccount.objects.filter(company_id=account.company_id).exclude(pk=account.pk).exists()
    if not only_account:
        untraced &= Q(account__code=account.ledger_account)
    wanted = mine | untraced
    if account.ledger_account != AccountCode.BANK:
        wanted |= Q(account__code=account.ledger_account)
    return JournalLine.objects.filter(
        wanted, account__code__in={account.ledger_account, AccountCode.BANK}, entry__company_id=account.company_id,
        entry__date__lte=on)


def bank_only_lines(account: BankAccount, on: date) -> QuerySet[StatementLine]:
    """Lines booked on or before ``on`` with no receipt booked for them by that day, oldest first."""
    booked_own = Payment.objects.filter(pk=OuterRef("payment_id"), received_date__lte=on)
    booked_share = LineApplication.objects.filter(line=OuterRef("pk"), payment__received_date__lte=on)
    return (StatementLine.objects.filter(account=account, booking_date__lte=on)
            .filter(~Exists(booked_own), ~Exists(booked_share))
            .order_by("booking_date", "id"))


def book_only_entries(account: BankAccount, on: date) -> QuerySet[JournalLine, dict[str, Any]]:
    """Per receipt (or per entry without one) in the account's book by ``on`` that no statement line booked by
    then explains: its signed amount (debit minus credit; a receipt reversed by then nets to nothing and is left
    out), oldest first. Values rows: group, date, memo, customer, payment."""
    explained = _payments_of_lines(StatementLine.objects.filter(account=account, booking_date__lte=on))
    return (book_lines(account, on)
            .exclude(explained)
            .annotate(group=Case(When(entry__payment_id__isnull=True, then=-F("entry_id")),
                                 default=F("entry__payment_id"), output_field=IntegerField()))
            .values("group")
            .annotate(amount=Sum(F("debit_minor") - F("credit_minor")), date=Min("entry__date"),
                      memo=Min("entry__memo"), customer_name=Min("entry__customer__name"),
                      payment_id=Max("entry__payment_id"))
            .exclude(amount=0)
            .order_by("date", "group"))


def book_only_items(rows: Iterable[dict[str, Any]]) -> list[BookOnlyItem]:
    return [BookOnlyItem(group=r["group"], date=r["date"], amount_minor=r["amount"], memo=r["memo"],
                         customer_name=r["customer_name"], payment_id=r["payment_id"]) for r in rows]


def statement_balance(account: BankAccount, on: date) -> tuple[int, bool]:
    """(balance at the close of ``on``, whether an opening balance was known) from the account's statements."""
    statements = BankStatement.objects.filter(account=account)
    first = statements.filter(opening_balance_minor__isnull=False).order_by("first_date", "id").first()
    opening = first.opening_balance_minor if first is not None and first.opening_balance_minor is not None else 0
    later = statements.filter(first_date__lte=on, gap_minor__isnull=False)
    if first is not None:
        later = later.exclude(pk=first.pk)
    gaps = later.aggregate(total=Coalesce(Sum("gap_minor"), 0))["total"]
    lines = (StatementLine.objects.filter(account=account, booking_date__lte=on)
             .aggregate(total=Coalesce(Sum("amount_minor"), 0))["total"])
    return opening + gaps + lines, first is not None


def book_balance(account: BankAccount, on: date) -> int:
    """Debits minus credits of the account's book (``book_lines``), dated on or before ``on``."""
    total: int = (book_lines(account, on)
                  .aggregate(total=Coalesce(Sum(F("debit_minor") - F("credit_minor"), output_field=IntegerField()),
                                            Value(0)))["total"])
    return total


def bank_reconciliation(*, account: BankAccount, on: date) -> Reconciliation:
    """The 银行余额调节表 of ``account`` at the close of ``on``: a handful of aggregate queries."""
    balance, opening_known = statement_balance(account, on)
    bank_only = bank_only_lines(account, on).aggregate(n=Count("pk"), total=Coalesce(Sum("amount_minor"), 0))
    book_only = book_only_entries(account, on).aggregate(n=Count("group"), total=Coalesce(Sum("amount"), 0))
    return Reconciliation(
        account=account, on=on, currency=account.currency, opening_known=opening_known,
        statement_balance_minor=balance, book_balance_minor=book_balance(account, on),
        bank_only_minor=bank_only["total"], bank_only_count=bank_only["n"],
        book_only_minor=book_only["total"], book_only_count=book_only["n"],
    )
