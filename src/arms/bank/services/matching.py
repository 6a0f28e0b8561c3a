"""Matching statement lines (认款): who paid and for what, with a confidence, stored on the line.

``load_book`` reads the company's customers (names, codes, USCC, learned payer accounts and third parties) and its
open items (open amounts, contract and VAT invoice numbers) in a few set-based queries into the pure matcher's
``Book`` (``arms.domain.cashapp``); ``match_lines`` runs the matcher over the lines, stores what it decided on each
line (status, confidence, customer, match, reasons) and, with ``auto``, applies every match at or above the
company's ``CashSettings.auto_threshold`` through ``applying.apply_match``. Never below it.

A run reads the book once per company and currency and keeps it current as it applies (an invoice one line settled
is not offered to the next). Storing the matches is set-based (a chunk of lines per transaction, one audit event per
chunk naming every line); each automatic application is its own transaction, so one refusal (a clerk applied the
line meanwhile, an invoice was settled by hand) leaves that line as a suggestion and the run goes on.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.bank.enums import OPEN_STATUSES, AliasKind, IgnoredKind, LineStatus
from arms.bank.models import BankAccount, PayerAlias, StatementLine
from arms.bank.services.applying import apply_match
from arms.bank.services.cash_settings import account_key, cash_settings_for, rules_for
from arms.common.errors import ArmsError
from arms.common.locks import statement_line_qs_for_update
from arms.customers.models import Customer
from arms.domain import cashapp
from arms.domain.cashapp import Book, Receipt
from arms.domain.discount import discount_open, percent_text
from arms.ledger.models import Allocation, Invoice

if TYPE_CHECKING:
    from arms.common.typing import Actor, JsonDict
    from arms.customers.models import Company

log = logging.getLogger(__name__)

#: lines stored per transaction (and per audit event) in a run
CHUNK = 500

_STATUS = {
    "auto": LineStatus.SUGGESTED,  # stored as a suggestion; applying it makes it AUTO
    "suggested": LineStatus.SUGGESTED,
    "unmatched": LineStatus.UNMATCHED,
    "ignored": LineStatus.IGNORED,
}


@dataclass(frozen=True)
class MatchRun:
    """What one matching run did, line by line counted once."""

    lines: int
    auto_applied: int
    suggested: int
    unmatched: int
    ignored: int


def load_book(company: Company, *, currency: str | None = None) -> Book:
    """The company's customers and open items as the matcher's ``Book``: three queries, none per customer.

    With ``currency``, only the open items in that currency (a receipt in USD never settles a CNY invoice)."""

    accounts: dict[int, set[str]] = defaultdict(set)
    payers: dict[int, set[str]] = defaultdict(set)
    for customer_id, kind, value in PayerAlias.objects.filter(company=company).values_list(
        "customer_id", "kind", "value"
    ):
        (accounts if kind == AliasKind.ACCOUNT else payers)[customer_id].add(value)
    customers = [
        cashapp.Customer(
            id=pk, code=code, name=name, uscc=uscc or "",
            accounts=frozenset(accounts.get(pk, ())), payer_names=frozenset(payers.get(pk, ())),
        )
        for pk, code, name, uscc in Customer.objects.filter(company=company).values_list("pk", "code", "name", "uscc")
    ]
    invoices = Invoice.objects.filter(company=company, amount_open_minor__gt=0)
    if currency:
        invoices = invoices.filter(currency=currency)
    items = [
        cashapp.Item(
            id=pk, customer_id=customer_id, number=number, amount_open=amount_open, due_date=due, issue_date=issued,
            vat_number=vat or "", contract_number=contract or "",
            # gross − discount is an exact amount for an invoice inside its early-payment window
            discount=discount_open(gross=gross, basis_points=bp, until=until, amount_open=amount_open, on=until)
            if until else 0,
            discount_until=until, discount_percent=f"{percent_text(bp)}%" if until else "",
        )
        for pk, customer_id, number, amount_open, due, issued, vat, contract, gross, bp, until in invoices.values_list(
            "pk", "customer_id", "number", "amount_open_minor", "due_date", "issue_date", "vat_invoice_number",
            "contract__number", "gross_minor", "discount_bp", "discount_until",
        ).iterator(chunk_size=5000)
    ]
    return Book(customers, items, recoverable_items(company, currency=currency))


def recoverable_items(company: Company, *, currency: str | None = None) -> list[cashapp.Item]:
    """Written-off invoices with what is still written off of each (``amount_open``): money for them is a recovery
    (one query: the write-offs' allocations summed per invoice)."""
    rows = (Allocation.objects.filter(company=company, write_off__isnull=False)
            .values("invoice_id", "invoice__customer_id", "invoice__number", "invoice__due_date",
                    "invoice__issue_date", "invoice__currency")
            .annotate(net=Sum("amount_minor")).filter(net__gt=0).order_by("invoice_id"))
    if currency:
        rows = rows.filter(invoice__currency=currency)
    return [cashapp.Item(id=r["invoice_id"], customer_id=r["invoice__customer_id"], number=r["invoice__number"],
                         amount_open=r["net"], due_date=r["invoice__due_date"], issue_date=r["invoice__issue_date"])
            for r in rows]


def receipt_of(line: StatementLine, *, own_accounts: frozenset[str] = frozenset()) -> Receipt:
    """A statement line as the matcher reads it."""
    text = " ".join(part for part in (line.remittance, line.end_to_end_id) if part)
    return Receipt(
        amount=line.amount_minor,
        booking_date=line.booking_date,
        payer_name=line.counterparty_name,
        payer_account=line.counterparty_account,
        text=text,
        from_own_account=bool(line.counterparty_account) and account_key(line.counterparty_account) in own_accounts,
    )


def match_of(result: cashapp.Match) -> JsonDict:
    """The stored form of a match (``StatementLine.match``)."""
    return {
        "customer_id": result.customer_id,
        "allocations": [[item_id, amount] for item_id, amount in result.allocations],
        "charge": result.charge,
        "discount": result.discount,
        "unapplied": result.unapplied,
        "kind": result.kind,
        "decision": result.status,
    }


def reasons_of(result: cashapp.Match) -> list[JsonDict]:
    return [{"code": r.code, "points": r.points, "detail": r.detail} for r in result.reasons]


def _book_refresh(book: Book, item_ids: Iterable[int]) -> None:
    """Keep the run's book current after an application: read back what the line settled (one query), so an
    invoice one line settled is not offered to the next."""

    for item_id, left in Invoice.objects.filter(pk__in=list(item_ids)).values_list("pk", "amount_open_minor"):
        item = book.items.get(item_id)
        if item is None or item.amount_open == left:
            continue
        book.items[item_id] = replace(item, amount_open=left)
        opened = book.open_by_customer.get(item.customer_id, [])
        for index, other in enumerate(opened):
            if other.id == item_id:
                if left > 0:
                    opened[index] = book.items[item_id]
                else:
                    del opened[index]
                break
        if left <= 0:
            keys = cashapp.number_keys(item.number) | cashapp.number_keys(item.contract_number)
            if item.vat_number:
                keys.add("VAT:" + item.vat_number.lstrip("0"))
            for key in keys:
                book.by_reference.get(key, set()).discard(item_id)


def _lines(line_ids: Iterable[int] | None, account: BankAccount | None, on: date | None) -> QuerySet[StatementLine]:
    lines = StatementLine.objects.all()
    if line_ids is not None:
        lines = lines.filter(pk__in=list(line_ids), status__in=OPEN_STATUSES)
    else:
        lines = lines.filter(status=LineStatus.NEW)
    if account is not None:
        lines = lines.filter(account=account)
    if on is not None:
        lines = lines.filter(booking_date=on)
    return lines


def match_lines(
    *,
    actor: Actor,
    line_ids: Iterable[int] | None = None,
    account: BankAccount | None = None,
    on: date | None = None,
    auto: bool = True,
    progress: Callable[..., None] | None = None,
) -> MatchRun:
    """Match the NEW lines (and, with ``line_ids``, the given lines that are still open: new, suggested,
    unmatched), optionally only of ``account`` and booked on ``on``. Stores status, confidence, customer, match
    and reasons on each line; with ``auto`` applies every match at or above the threshold (never below).

    ``progress(done, total)`` is called after each chunk (the background job reports through it)."""
    selected = _lines(line_ids, account, on)
    pairs = list(selected.order_by("account_id", "booking_date", "pk").values_list("account_id", "pk"))
    total = len(pairs)
    by_account: dict[int, list[int]] = defaultdict(list)
    for account_id, pk in pairs:
        by_account[account_id].append(pk)
    counts = {"auto": 0, "suggested": 0, "unmatched": 0, "ignored": 0}
    books: dict[tuple[int, str], Book] = {}
    done = 0
    for account_id, ids in by_account.items():
        bank_account = BankAccount.objects.select_related("company").get(pk=account_id)
        company = bank_account.company
        settings = cash_settings_for(company)
        rules = rules_for(settings)
        own = frozenset(
            account_key(n) for n in BankAccount.objects.filter(company=company).values_list("account_number", flat=True)
        )
        pending = list(ids)
        while pending:
            chunk, pending = pending[:CHUNK], pending[CHUNK:]
            to_apply: list[int] = []
            claimed: set[int] = set()  # items the chunk's automatic applications will settle
            deferred: list[int] = []  # lines that want one of them: matched again once those are applied
            with transaction.atomic():
                locked = list(statement_line_qs_for_update().filter(pk__in=chunk, status__in=OPEN_STATUSES)
                              .order_by("pk"))
                now = timezone.now()
                decided = []
                stored = []
                for line in locked:
                    key = (company.pk, line.currency)
                    if key not in books:
                        books[key] = load_book(company, currency=line.currency)
                    receipt = receipt_of(line, own_accounts=own)
                    result = cashapp.match(receipt, books[key], rules)
                    # money between the company's own accounts, and a bank's reversal, are never a customer's
                    if receipt.from_own_account and receipt.amount > 0:
                        result = cashapp.Match(status="ignored", kind=IgnoredKind.TRANSFER)
                    elif line.reversal and result.status != "ignored":
                        result = cashapp.Match(status="ignored", kind=IgnoredKind.REFUND)
                    items = {item_id for item_id, _amount in result.allocations}
                    if items & claimed:
                        deferred.append(line.pk)
                        continue
                    line.status = _STATUS[result.status]
                    line.ignored_kind = result.kind if result.status == "ignored" else IgnoredKind.NONE
                    line.confidence = result.confidence
                    line.customer_id = result.customer_id
                    line.match = match_of(result)
                    line.reasons = reasons_of(result)
                    line.matched_at = now
                    stored.append(line)
                    decided.append([line.pk, result.status, result.confidence, result.customer_id])
                    if (auto and result.status == "auto" and result.allocations
                            and result.confidence >= settings.auto_threshold):
                        to_apply.append(line.pk)
                        claimed |= items
                StatementLine.objects.bulk_update(
                    stored, ["status", "ignored_kind", "confidence", "customer", "match", "reasons", "matched_at"]
                )
                if stored:
                    audit_record(actor=actor, action=AuditAction.CASH_LINE_MATCHED, subject=bank_account,
                                 after={"lines": decided, "threshold": settings.auto_threshold})
            applied = set()
            for pk in to_apply:
                line = StatementLine.objects.get(pk=pk)
                try:
                    apply_match(actor=actor, line=line)
                except ArmsError as exc:
                    log.info("statement line %s stays a suggestion: %s", pk, exc.message)
                    continue
                applied.add(pk)
                _book_refresh(books[(company.pk, line.currency)], [a[0] for a in line.match["allocations"]])
            for _pk, status, _confidence, _customer in decided:
                if _pk in applied:
                    counts["auto"] += 1
                elif status in ("auto", "suggested"):
                    counts["suggested"] += 1
                else:
                    counts[status] += 1
            pending = deferred + pending  # each round applies what deferred them, so this ends
            done += len(stored)
            if progress is not None:
                progress(done, total)
    return MatchRun(
        lines=sum(counts.values()), auto_applied=counts["auto"], suggested=counts["suggested"],
        unmatched=counts["unmatched"], ignored=counts["ignored"],
    )
