"""One date range for every entry path (issue 10): 0001-01-01 and 9999-12-31 are refused by the services
(so by every form, import and job that calls them) and by the import parser, naming the field or the row,
and nothing is written. The API's schemas use the same bounds (tests/api/test_bad_input.py)."""

from __future__ import annotations

from datetime import date

import pytest

from arms.common.bounds import DATE_MAX, DATE_MIN
from arms.common.errors import ValidationFailed
from arms.ledger import services
from tests import factories
from tests.imports.support import counts, refused, write_csv

FAR = (date(1, 1, 1), date(9999, 12, 31))


@pytest.mark.parametrize("day", FAR, ids=str)
def test_the_services_refuse_dates_outside_the_range(db, day):
    customer = factories.customer("C001")
    invoice = factories.invoice(customer, number="INV-1")
    payment = factories.payment(customer, amount=1_000, number="RCV-1")
    before = counts()

    calls = {
        "issue_date": lambda: services.invoice_post(actor=None, customer=customer, issue_date=day, net_minor=100,
                                                    tax_minor=0),
        "received_date": lambda: services.payment_record(actor=None, customer=customer, received_date=day,
                                                         amount_minor=100),
        "date": lambda: services.payment_auto_allocate(actor=None, payment=payment, on=day),
    }
    for field, call in calls.items():
        with pytest.raises(ValidationFailed) as info:
            call()
        assert info.value.field == field
        assert info.value.message == (f"{day.isoformat()} is outside the dates ARMS accepts "
                                      "(1900-01-01 to 2999-12-31).")
    with pytest.raises(ValidationFailed) as info:
        services.credit_note_post(actor=None, invoice=invoice, on=day, net_minor=100, tax_minor=0, reason="r")
    assert info.value.field == "date"
    assert counts() == before


def test_the_bounds_themselves_are_accepted(db):
    customer = factories.customer("C001")

    services.payment_record(actor=None, customer=customer, received_date=DATE_MIN, amount_minor=100)
    services.payment_record(actor=None, customer=customer, received_date=DATE_MAX, amount_minor=100)


def test_imports_refuse_dates_outside_the_range_naming_the_row(db, tmp_path):
    factories.customer("C001")
    payments = write_csv(tmp_path / "p.csv", [["收款单号", "客户编码", "收款日期", "金额"],
                                              ["RCV-9", "C001", "9999-12-31", "100"]])
    invoices = write_csv(tmp_path / "i.csv", [["发票号", "客户编码", "开票日期", "不含税金额"],
                                              ["INV-9", "C001", "0001-01-01", "100"]])

    assert refused("payments", payments) == [{"line": 2, "column": "收款日期", "message": (
        "9999-12-31 is outside the dates ARMS accepts (1900-01-01 to 2999-12-31).")}]
    assert refused("invoices", invoices) == [{"line": 2, "column": "开票日期", "message": (
        "0001-01-01 is outside the dates ARMS accepts (1900-01-01 to 2999-12-31).")}]


@pytest.mark.parametrize("day", FAR, ids=str)
def test_promises_and_plans_refuse_dates_outside_the_range(db, day):
    from arms.cases.models import InstallmentPlan, PromiseToPay
    from arms.cases.services import plan_request, promise_record

    customer = factories.customer("C001")
    invoice = factories.invoice(customer, number="INV-1")

    with pytest.raises(ValidationFailed) as promised:
        promise_record(customer=customer, amount_minor=100, promised_on=day, actor=None)
    with pytest.raises(ValidationFailed) as planned:
        plan_request(customer=customer, invoices=[invoice], actor=None, installments=2, first_due_on=day,
                     starts_on=DATE_MIN)

    assert (promised.value.field, planned.value.field) == ("promised_on", "first_due_on")
    assert (PromiseToPay.objects.count(), InstallmentPlan.objects.count()) == (0, 0)
