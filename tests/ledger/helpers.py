"""What the ledger tests compare: a snapshot of everything a service could have written, the journal
per account, and the lines of one entry."""

from __future__ import annotations

from django.db import connection
from django.db.models import Sum

from arms.ledger.models import Invoice, JournalEntry, JournalLine, Payment

_TOTALS = """
SELECT (SELECT COUNT(*) FROM ledger_creditnote),
       (SELECT COUNT(*) FROM ledger_allocation),
       (SELECT COUNT(*) FROM ledger_journalentry),
       (SELECT COUNT(*) FROM ledger_journalline),
       (SELECT COALESCE(SUM(debit_minor), 0) FROM ledger_journalline),
       (SELECT COALESCE(SUM(credit_minor), 0) FROM ledger_journalline),
       (SELECT COUNT(*) FROM ledger_exchangerate),
       (SELECT COUNT(*) FROM audit_auditevent),
       (SELECT last_seq FROM audit_audithead WHERE id = 1),
       (SELECT last_hash FROM audit_audithead WHERE id = 1),
       (SELECT COUNT(*) FROM common_idempotencyrecord),
       (SELECT COUNT(*) FROM common_documentsequence),
       (SELECT COALESCE(SUM(next_value), 0) FROM common_documentsequence)
"""
_TOTAL_NAMES = ["credit_notes", "allocations", "journal_entries", "journal_lines", "debits", "credits",
                "exchange_rates", "audit_events", "audit_last_seq", "audit_last_hash", "idempotency_records",
                "sequences", "sequence_total"]


def ledger_state() -> dict:
    """Row counts and every balance; equal before and after means a refused call wrote nothing."""
    with connection.cursor() as cursor:
        cursor.execute(_TOTALS)
        totals = dict(zip(_TOTAL_NAMES, cursor.fetchone(), strict=True))
    return {
        **totals,
        "invoices": sorted(Invoice.objects.values_list("pk", "amount_open_minor", "gross_minor")),
        "payments": sorted(Payment.objects.values_list("pk", "amount_unallocated_minor", "status")),
    }


def account_balances(customer=None) -> dict[str, int]:
    """Debit minus credit per account code (CNY fen), for one customer or all; zero balances left out."""
    lines = JournalLine.objects.all()
    if customer is not None:
        lines = lines.filter(customer=customer)
    rows = lines.values("account__code").annotate(d=Sum("debit_minor"), c=Sum("credit_minor"))
    return {row["account__code"]: row["d"] - row["c"] for row in rows if row["d"] != row["c"]}


def entry_lines(entry: JournalEntry) -> list[tuple[str, int, int]]:
    """(account, debit, credit) of one entry, in a stable order."""
    return sorted(entry.lines.values_list("account__code", "debit_minor", "credit_minor"))


def entries(kind: str, **filters) -> list[list[tuple[str, int, int]]]:
    return [entry_lines(e) for e in JournalEntry.objects.filter(kind=kind, **filters).order_by("pk")]
