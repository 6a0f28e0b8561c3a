"""/api/v1/payments and allocations: record, list, read, allocate by hand or oldest first, reverse."""

from __future__ import annotations

from datetime import date

from arms.audit.models import AuditEvent
from arms.ledger import services
from arms.ledger.models import Allocation, Payment
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.conftest import ledger_problems


def open_of(invoice) -> int:
    invoice.refresh_from_db()
    return invoice.amount_open_minor


def test_record_payment(clerk_api, customer):
    response = clerk_api.post("/payments", {
        "customer_id": customer.pk, "received_date": "2026-02-01", "amount_minor": 50_000,
        "payer_name": "测试客户", "bank_reference": "CMB20260201001",
    })

    assert response.status_code == 201, response.content
    body = response.json()
    payment = Payment.objects.get()
    assert body == {
        "id": payment.pk, "number": "RCV-000001", "customer_id": customer.pk, "customer_code": customer.code,
        "customer_name": customer.name, "received_date": "2026-02-01", "currency": "CNY",
        "amount_minor": 50_000, "amount_unallocated_minor": 50_000, "charge_minor": 0, "amount": "500.00",
        "amount_unallocated": "500.00", "method": "bank_transfer", "bill_number": "", "bill_maturity_date": None,
        "payer_name": "测试客户", "bank_reference": "CMB20260201001", "fx_rate": "1.00000000",
        "amount_base_minor": 50_000, "status": "posted", "reversal_date": None, "reversal_reason": "",
        "posted_at": body["posted_at"], "posted_by": "clerk", "allocations": [],
        "contract_id": None,  # the contract this money is the deposit for (issue 16)
    }
    assert AuditEvent.objects.filter(action="payment_recorded").count() == 1
    assert ledger_problems() == {}


def test_record_payment_with_auto_allocate_settles_the_oldest_due_first(clerk_api, customer):
    older = factories.invoice(customer, net=10_000, tax=0, issued=date(2026, 1, 5), number="INV-OLD")
    newer = factories.invoice(customer, net=10_000, tax=0, issued=date(2026, 1, 20), number="INV-NEW")

    response = clerk_api.post("/payments", {
        "customer_id": customer.pk, "received_date": "2026-02-01", "amount_minor": 15_000,
        "method": "bank_acceptance", "bill_number": "BA-001", "bill_maturity_date": "2026-08-01",
        "auto_allocate": True,
    })

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount_unallocated_minor"], body["method"], body["bill_maturity_date"]) == (
        0, "bank_acceptance", "2026-08-01")
    assert [(a["invoice_number"], a["amount_minor"], a["date"]) for a in body["allocations"]] == [
        ("INV-OLD", 10_000, "2026-02-01"), ("INV-NEW", 5_000, "2026-02-01")]
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.amount_open_minor, newer.amount_open_minor) == (0, 5_000)
    assert ledger_problems() == {}


def test_list_payments_with_filters(clerk_api, customer):
    other = factories.customer(name="北方能源有限公司")
    factories.payment(customer, amount=1_000, received=date(2026, 2, 1), number="P-1", bank_reference="REF-1")
    factories.payment(customer, amount=2_000, received=date(2026, 3, 1), number="P-2", method="cash")
    factories.payment(other, amount=3_000, received=date(2026, 2, 15), number="P-3")
    inv = factories.invoice(customer, net=1_000, tax=0, number="INV-X")
    services.payment_auto_allocate(actor=None, payment=Payment.objects.get(number="P-1"), on=date(2026, 2, 1))
    assert open_of(inv) == 0

    everything = clerk_api.get("/payments").json()
    assert (everything["count"], [p["number"] for p in everything["items"]]) == (3, ["P-2", "P-3", "P-1"])

    def numbers(**params):
        response = clerk_api.get("/payments", params)
        assert response.status_code == 200, response.content
        return [p["number"] for p in response.json()["items"]]

    assert numbers(customer_id=customer.pk) == ["P-2", "P-1"]
    assert numbers(unallocated_only="true") == ["P-2", "P-3"]
    assert numbers(received_from="2026-02-10", received_to="2026-02-28") == ["P-3"]
    assert numbers(method="cash") == ["P-2"]
    assert numbers(search="北方") == ["P-3"]
    assert numbers(search="REF-1") == ["P-1"]


def test_get_payment_with_its_allocations(clerk_api, invoice, payment):
    services.payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, 20_000)],
                              on=date(2026, 2, 3))

    response = clerk_api.get(f"/payments/{payment.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["amount_unallocated_minor"], body["amount_unallocated"]) == (
        "RCV-T-1", 30_000, "300.00")
    assert [(a["invoice_id"], a["invoice_number"], a["amount_minor"], a["date"], a["reversed"])
            for a in body["allocations"]] == [(invoice.pk, "INV-T-1", 20_000, "2026-02-03", False)]


def test_allocate_a_payment_by_hand(clerk_api, customer, invoice, payment):
    second = factories.invoice(customer, net=5_000, tax=0, number="INV-T-2")

    response = clerk_api.post(f"/payments/{payment.pk}/allocations", {
        "date": "2026-02-02", "lines": [{"invoice_id": invoice.pk, "amount_minor": 40_000},
                                        {"invoice_id": second.pk, "amount_minor": 5_000}],
    })

    assert response.status_code == 201, response.content
    body = response.json()
    made = list(Allocation.objects.order_by("pk"))
    assert (body["payment"]["id"], body["payment"]["amount_unallocated_minor"]) == (payment.pk, 5_000)
    assert [(a["id"], a["invoice_number"], a["payment_number"], a["amount_minor"], a["amount"], a["currency"],
             a["date"], a["reverses_id"]) for a in body["allocations"]] == [
        (made[0].pk, "INV-T-1", "RCV-T-1", 40_000, "400.00", "CNY", "2026-02-02", None),
        (made[1].pk, "INV-T-2", "RCV-T-1", 5_000, "50.00", "CNY", "2026-02-02", None),
    ]
    assert (open_of(invoice), open_of(second)) == (73_000, 0)
    assert AuditEvent.objects.filter(action="payment_allocated").count() == 2
    assert ledger_problems() == {}


def test_auto_allocate_an_existing_payment(clerk_api, invoice, payment):
    response = clerk_api.post(f"/payments/{payment.pk}/auto-allocate", {"date": "2026-02-04"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["payment"]["amount_unallocated_minor"] == 0
    assert [(a["invoice_number"], a["amount_minor"], a["date"]) for a in body["allocations"]] == [
        ("INV-T-1", 50_000, "2026-02-04")]
    assert open_of(invoice) == 63_000


def test_auto_allocate_with_nothing_open_allocates_nothing(clerk_api, payment):
    response = clerk_api.post(f"/payments/{payment.pk}/auto-allocate")

    assert response.status_code == 200, response.content
    assert (response.json()["payment"]["amount_unallocated_minor"], response.json()["allocations"]) == (50_000, [])


def test_reverse_a_payment_reopens_what_it_settled(manager_api, invoice, payment):
    services.payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, 50_000)],
                              on=date(2026, 2, 1))

    response = manager_api.post(f"/payments/{payment.pk}/reverse", {"reason": "退票", "date": "2026-02-10"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["reversal_date"], body["reversal_reason"], body["amount_unallocated_minor"]) == (
        "reversed", "2026-02-10", "退票", 0)
    assert [(a["amount_minor"], a["reversed"]) for a in body["allocations"]] == [(50_000, True), (-50_000, False)]
    assert open_of(invoice) == 113_000
    assert AuditEvent.objects.filter(action="payment_reversed").count() == 1
    assert ledger_problems() == {}


def test_list_allocations(clerk_api, customer, invoice, payment):
    second = factories.invoice(customer, net=5_000, tax=0, number="INV-T-2")
    services.payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, 1_000)],
                              on=date(2026, 2, 1))
    services.payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(second.pk, 2_000)],
                              on=date(2026, 2, 2))

    everything = clerk_api.get("/allocations").json()
    for_second = clerk_api.get("/allocations", {"invoice_id": second.pk}).json()
    for_payment = clerk_api.get("/allocations", {"payment_id": payment.pk, "limit": 1}).json()

    assert (everything["count"], [a["amount_minor"] for a in everything["items"]]) == (2, [2_000, 1_000])
    assert [a["invoice_number"] for a in for_second["items"]] == ["INV-T-2"]
    assert (for_payment["count"], len(for_payment["items"])) == (2, 1)


def test_reverse_an_allocation(clerk_api, invoice, payment):
    [allocation] = services.payment_allocate(actor=None, payment=payment,
                                             lines=[AllocationRequest(invoice.pk, 30_000)], on=date(2026, 2, 1))

    response = clerk_api.post(f"/allocations/{allocation.pk}/reverse", {"date": "2026-02-06", "reason": "客户指定他票"})

    assert response.status_code == 200, response.content
    body = response.json()
    reversal = Allocation.objects.get(reverses=allocation)
    assert (body["id"], body["reverses_id"], body["amount_minor"], body["amount"], body["date"], body["reason"]) == (
        reversal.pk, allocation.pk, -30_000, "-300.00", "2026-02-06", "客户指定他票")
    payment.refresh_from_db()
    assert (open_of(invoice), payment.amount_unallocated_minor) == (113_000, 50_000)
    assert ledger_problems() == {}


def test_set_and_list_exchange_rates(clerk_api):
    response = clerk_api.post("/exchange-rates", {"currency": "usd", "date": "2026-01-02", "rate": "7.1234",
                                                  "source": "中国人民银行中间价"})
    clerk_api.post("/exchange-rates", {"currency": "EUR", "date": "2026-01-02", "rate": "7.8"})
    clerk_api.post("/exchange-rates", {"currency": "USD", "date": "2026-01-03", "rate": "7.1300"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {"id": body["id"], "currency": "USD", "date": "2026-01-02", "rate": "7.12340000",
                    "source": "中国人民银行中间价"}
    listed = clerk_api.get("/exchange-rates").json()
    assert [(r["currency"], r["date"], r["rate"]) for r in listed["items"]] == [
        ("EUR", "2026-01-02", "7.80000000"), ("USD", "2026-01-03", "7.13000000"), ("USD", "2026-01-02", "7.12340000")]
    usd = clerk_api.get("/exchange-rates", {"currency": "usd"}).json()
    assert usd["count"] == 2
    assert AuditEvent.objects.filter(action="exchange_rate_set").count() == 3
