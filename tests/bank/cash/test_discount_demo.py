"""The demo's invoices on 2/10, net 30: three posted, the first paid at 98% inside its window and discounted; a
second run adds nothing."""

from __future__ import annotations

from arms.bank.demo import _discount_demo
from arms.ledger.models import CreditNote, CreditNoteKind, Invoice
from tests import factories
from tests.conftest import ledger_problems


def test_the_discount_demo(today):
    for n in range(3):
        factories.customer(name=f"演示客户{n}有限公司")
    _discount_demo(today)
    _discount_demo(today)
    invoices = Invoice.objects.filter(number__startswith="INV-DISC-").order_by("number")
    assert [(i.discount_bp, i.amount_open_minor) for i in invoices] == [(200, 0), (200, 2_260_000),
                                                                       (200, 2_260_000)]
    assert CreditNote.objects.get().kind == CreditNoteKind.DISCOUNT
    assert ledger_problems() == {}
