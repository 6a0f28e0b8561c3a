"""The customer statement read in one query (``UNION ALL`` of the opening sums and the movements) gives the
same statements as the per-kind reads it replaced, kept here as the reference: every kind of movement, a text
chosen from each kind's fields, movements on one day, two currencies, and periods that cut the book anywhere."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from arms.ledger import services
from arms.ledger.enums import PaymentStatus
from arms.ledger.models import CreditNote, Invoice, Payment
from arms.ledger.selectors import Statement, StatementLine, customer_statement
from tests import factories

KIND_ORDER = {"invoice": 0, "credit_note": 1, "payment": 2, "payment_reversal": 3}


def reference_statement(*, customer_id: int, date_from: date, date_to: date) -> list[Statement]:
    """The statement as it was read before: four opening sums and four reads of movements."""
    opening: dict[str, int] = defaultdict(int)
    for qs, column, sign in (
        (Invoice.objects.filter(customer_id=customer_id, issue_date__lt=date_from), "gross_minor", 1),
        (CreditNote.objects.filter(customer_id=customer_id, date__lt=date_from), "gross_minor", -1),
        (Payment.objects.filter(customer_id=customer_id, received_date__lt=date_from), "amount_minor", -1),
        (Payment.objects.filter(customer_id=customer_id, status=PaymentStatus.REVERSED, reversal_date__lt=date_from),
         "amount_minor", 1),
    ):
        for row in qs.values("currency").annotate(total=Sum(column)):
            opening[row["currency"]] += sign * (row["total"] or 0)
    movements = defaultdict(list)
    for inv in Invoice.objects.filter(customer_id=customer_id, issue_date__range=(date_from, date_to)):
        text = inv.description or (f"发票 {inv.vat_invoice_number}" if inv.vat_invoice_number else "")
        movements[inv.currency].append((inv.issue_date, "invoice", inv.pk, inv.number, text, inv.gross_minor, 0))
    for note in CreditNote.objects.filter(customer_id=customer_id, date__range=(date_from, date_to)):
        movements[note.currency].append((note.date, "credit_note", note.pk, note.number, note.reason, 0,
                                         note.gross_minor))
    for pay in Payment.objects.filter(customer_id=customer_id, received_date__range=(date_from, date_to)):
        movements[pay.currency].append((pay.received_date, "payment", pay.pk, pay.number,
                                        pay.bank_reference or pay.method, 0, pay.amount_minor))
    for rev in Payment.objects.filter(customer_id=customer_id, status=PaymentStatus.REVERSED,
                                      reversal_date__range=(date_from, date_to)):
        movements[rev.currency].append((rev.reversal_date, "payment_reversal", rev.pk, rev.number,
                                        rev.reversal_reason, rev.amount_minor, 0))
    statements = []
    for currency in sorted(set(opening) | set(movements)):
        statement = Statement(currency, date_from, date_to, opening[currency])
        balance = opening[currency]
        for on, kind, _pk, number, text, debit, credit in sorted(movements[currency],
                                                                 key=lambda m: (m[0], KIND_ORDER[m[1]], m[2])):
            balance += debit - credit
            statement.lines.append(StatementLine(on, kind, number, text or "", debit, credit, balance))
        statements.append(statement)
    return statements


def test_the_one_query_statement_equals_the_per_kind_reads(clerk):
    services.exchange_rate_set(actor=clerk, currency="USD", on=date(2025, 1, 1), rate=Decimal("7.1"))
    customer = factories.customer()
    start = date(2025, 6, 1)
    for n in range(12):
        on = start + timedelta(days=23 * n)
        invoice = factories.invoice(customer, issued=on, actor=clerk, net=100_000 + n, number=f"INV-S-{n}",
                                    description="设备款" if n % 3 == 0 else "",
                                    vat_invoice_number=f"0440{n:04d}" if n % 3 == 1 else "",
                                    currency="USD" if n % 4 == 3 else "CNY")
        if n % 2 == 0:
            services.credit_note_post(actor=clerk, invoice=invoice, on=on, net_minor=1_000, tax_minor=130,
                                      reason="折让" if n % 4 else "质量问题", number=f"CN-S-{n}")
        payment = factories.payment(customer, amount=50_000 + n, received=on, actor=clerk, number=f"RCV-S-{n}",
                                    bank_reference=f"BR{n}" if n % 3 == 2 else "", currency=invoice.currency)
        if n % 5 == 1:
            services.payment_reverse(actor=clerk, payment=payment, reason="退票", on=on + timedelta(days=3))
    periods = [(date(2025, 1, 1), date(2026, 12, 31)), (date(2025, 9, 1), date(2026, 2, 28)),
               (start + timedelta(days=23), start + timedelta(days=23)), (date(2026, 3, 1), date(2026, 3, 31)),
               (date(2027, 1, 1), date(2027, 12, 31))]
    for date_from, date_to in periods:
        expected = reference_statement(customer_id=customer.pk, date_from=date_from, date_to=date_to)
        assert customer_statement(customer_id=customer.pk, date_from=date_from, date_to=date_to) == expected
    whole = customer_statement(customer_id=customer.pk, date_from=date(2025, 1, 1), date_to=date(2026, 12, 31))
    texts = {line.description for statement in whole for line in statement.lines}
    assert {"设备款", "发票 04400001", "折让", "BR2", "退票"} <= texts
    assert {s.currency for s in whole} == {"CNY", "USD"}
