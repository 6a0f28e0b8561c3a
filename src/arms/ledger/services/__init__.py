"""Every write to the ledger. Each function is one transaction that locks its rows in the fixed order
(customer, invoices by pk, payment), checks the rules on the locked rows, writes the document, its
journal entry and its audit event, or raises an ArmsError and writes nothing.

What a person does by hand (``manual_*``) goes through ``approvals``: above the company's amount it waits for a
second person (the one four-eyes rule); machines call the services below it directly."""

from arms.ledger.services.allocations import allocation_reverse, payment_allocate, payment_auto_allocate
from arms.ledger.services.approvals import (
    ledger_approval_approve,
    ledger_approval_reject,
    manual_allocate,
    manual_allocation_reverse,
    manual_credit_note,
    manual_invoice,
)
from arms.ledger.services.fx import exchange_rate_on, exchange_rate_set
from arms.ledger.services.invoices import credit_note_post, invoice_post
from arms.ledger.services.payments import payment_record, payment_reverse

__all__ = [
    "allocation_reverse",
    "credit_note_post",
    "exchange_rate_on",
    "exchange_rate_set",
    "invoice_post",
    "ledger_approval_approve",
    "ledger_approval_reject",
    "manual_allocate",
    "manual_allocation_reverse",
    "manual_credit_note",
    "manual_invoice",
    "payment_allocate",
    "payment_auto_allocate",
    "payment_record",
    "payment_reverse",
]
