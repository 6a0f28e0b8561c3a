"""The receivables ledger (台账).

Design overview and invariants (checked by ``arms ledger check``; the starred ones also by the database):

- Amounts are integer minor units beside a currency; base-currency (CNY) amounts are fixed when a
  document is posted, at the rate of its date.
- Posted documents are never edited. An invoice is corrected by a credit note, a payment by a reversal,
  an allocation by a reversing allocation (a row with a negative amount pointing at the one it undoes).
- *invoice: 0 <= amount_open <= gross, gross = net + tax.
  invoice.amount_open = gross - sum(allocations to it)  (allocations from payments, credit notes, write-offs).
- *payment: 0 <= amount_unallocated <= amount; a reversed payment has nothing unallocated.
  payment.amount_unallocated = amount - sum(allocations from it) while posted.
- *allocation: from exactly one source (a payment, a credit note or a write-off); a positive amount, or a
  negative one that reverses exactly one earlier allocation, or a negative one that recovers part of a write-off.
- Write-offs (``WriteOff``, 核销坏账): *amount > 0, *the account fits the kind (bad debt: 1231; small balance:
  6603 or 6711). Each write-off has exactly one positive allocation, of its amount and base amount, on its own
  invoice and date; its recoveries (negative allocations naming it, ``reverses`` empty) total at most its amount
  and are not dated before it. A write-off allocation posts Dr ``account`` / Cr 1122 (kind ``write_off``), a
  recovery Dr 1122 / Cr ``account`` (kind ``write_off_recovery``), each of its ``receivable_base_minor``.
  invoice.amount_open_minor = gross - sum(allocations) counts write-offs and recoveries like any allocation, so a
  written-off invoice leaves aging and dunning by itself and a recovered one comes back open for the payment.
- *journal line: a debit or a credit, never both, never negative; *journal entries balance (a deferred
  constraint trigger on PostgreSQL; the service refuses to write one that does not, on every database).
  *Journal rows can be neither updated nor deleted (triggers on both databases).
- Control accounts: per customer, the 1122 receivables balance equals the base amount of its open
  invoices, and the 2203 unapplied-cash balance equals the base amount of its unallocated payments.
- Invoice deliveries (``InvoiceDelivery``) are append-only evidence: each invoice can have several deliveries and
  receipt confirmations; its delivery state (undelivered / delivered / receipt confirmed) is derived from them.
  *A post delivery names its carrier and tracking number; *a record's channel fits its kind.
- A manual allocation, reversal, credit note or invoice above the company's amount waits as a ``LedgerApproval``
  until a second person approves it (models/approval.py).
- Small balances (models/small_balance.py): a residue threshold per currency, the write-off account, and bulk
  write-offs of residues approved by a second finance manager.
"""

from arms.ledger.models.allocation import Allocation
from arms.ledger.models.approval import FOUR_EYES_DEFAULT_MINOR, LedgerApproval, LedgerSettings
from arms.ledger.models.delivery import InvoiceDelivery
from arms.ledger.models.fx import ExchangeRate
from arms.ledger.models.invoice import CreditNote, CreditNoteKind, Invoice
from arms.ledger.models.journal import Account, JournalEntry, JournalLine
from arms.ledger.models.payment import Payment
from arms.ledger.models.small_balance import (
    SmallBalanceBatch,
    SmallBalanceBatchItem,
    SmallBalanceSettings,
    SmallBalanceThreshold,
)
from arms.ledger.models.writeoff import WriteOff

__all__ = [
    "FOUR_EYES_DEFAULT_MINOR",
    "Account",
    "Allocation",
    "CreditNote",
    "CreditNoteKind",
    "ExchangeRate",
    "Invoice",
    "InvoiceDelivery",
    "JournalEntry",
    "JournalLine",
    "LedgerApproval",
    "LedgerSettings",
    "Payment",
    "SmallBalanceBatch",
    "SmallBalanceBatchItem",
    "SmallBalanceSettings",
    "SmallBalanceThreshold",
    "WriteOff",
]
