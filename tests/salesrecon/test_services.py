"""The monthly sales–finance reconciliation as a story, and each refusal leaving nothing written."""

from __future__ import annotations

import pytest

from arms.audit.models import AuditEvent
from arms.audit.services import canonical_text, sha256_hex
from arms.common.approvals import FourEyes
from arms.common.errors import Conflict, Forbidden, ValidationFailed
from arms.common.models import Notification
from arms.salesrecon.models import ReconciliationDifference, SalesReconciliation
from arms.salesrecon.services import (
    sales_recon_answer,
    sales_recon_difference_assign,
    sales_recon_difference_resolve,
    sales_recon_open,
    sales_recon_sign_off,
)

pytestmark = pytest.mark.django_db


def _state():
    return (SalesReconciliation.objects.values_list("pk", "status").order_by("pk").first(),
            ReconciliationDifference.objects.count(), AuditEvent.objects.count())


def test_a_month_opened_agreed_and_signed_off(book, month):
    start, end = month
    opened = sales_recon_open(period=end, actor=book["finance"])

    assert [r.salesperson for r in opened] == [book["ann"], book["bob"]]
    ann = opened[0]
    assert (ann.period, ann.as_of, ann.status, ann.customers) == (start, end, "open", 2)
    assert ann.snapshot == [
        {"customer_id": book["a1"].pk, "code": "A1", "name": book["a1"].name, "currency": "CNY",
         "balance_minor": 113_000, "balance_base_minor": 113_000},
        {"customer_id": book["a2"].pk, "code": "A2", "name": book["a2"].name, "currency": "CNY",
         "balance_minor": 25_000, "balance_base_minor": 25_000},
    ]
    assert ann.total_base_minor == 138_000 and ann.snapshot_sha256 == sha256_hex(canonical_text(ann.snapshot))
    event = AuditEvent.objects.get(action="sales_recon_opened", subject_id=str(ann.pk))
    assert event.after["snapshot_sha256"] == ann.snapshot_sha256
    note = Notification.objects.get(user=book["ann"])
    assert note.link == f"/sales-reconciliations/{ann.pk}/"
    # opening again leaves the month as it is
    assert sales_recon_open(period=start, actor=book["finance"]) == []

    sales_recon_answer(reconciliation=ann, actor=book["ann"], agree=True, note="all fine")
    done = sales_recon_sign_off(reconciliation=ann, actor=book["finance"], note="ok")

    assert (done.status, done.signed_off_by, done.answer_note) == ("signed_off", book["finance"], "all fine")
    assert list(AuditEvent.objects.filter(subject_id=str(ann.pk), subject_type="salesrecon.salesreconciliation")
                .values_list("action", flat=True).order_by("seq")) == [
        "sales_recon_opened", "sales_recon_answered", "sales_recon_signed_off"]


def test_differences_get_an_owner_and_a_resolution_before_sign_off(book, month):
    ann = sales_recon_open(period=month[1], actor=book["finance"], salesperson=book["ann"])[0]
    sales_recon_answer(reconciliation=ann, actor=book["ann"], agree=False, differences=[
        {"customer_id": book["a1"].pk, "sales_minor": 100_000, "note": "credit note promised"},
        {"customer_id": book["a3"].pk, "sales_minor": 5_000, "note": "they owe the sample"}])
    ann.refresh_from_db()
    one, two = ReconciliationDifference.objects.order_by("customer__code")
    assert (ann.status, one.ledger_minor, one.sales_minor, one.amount_minor) == ("differences", 113_000, 100_000,
                                                                                 -13_000)
    assert (two.ledger_minor, two.sales_minor) == (0, 5_000)

    with pytest.raises(Conflict) as refused:
        sales_recon_sign_off(reconciliation=ann, actor=book["finance"])
    assert refused.value.field == "differences"

    sales_recon_difference_assign(difference=one, actor=book["finance"], owner=book["finance"])
    sales_recon_difference_resolve(difference=one, actor=book["finance"], resolution="credit note CN-1 posted")
    sales_recon_difference_resolve(difference=two, actor=book["finance"], resolution="sample is free of charge")
    assert sales_recon_sign_off(reconciliation=ann, actor=book["finance"]).status == "signed_off"
    one.refresh_from_db()
    assert (one.owner, one.status, one.resolution) == (book["finance"], "resolved", "credit note CN-1 posted")


def test_the_salesperson_never_signs_off_their_own_month(book, month):
    ann = sales_recon_open(period=month[1], actor=book["finance"], salesperson=book["ann"])[0]
    sales_recon_answer(reconciliation=ann, actor=book["ann"], agree=True)
    before = _state()
    with pytest.raises(FourEyes):
        sales_recon_sign_off(reconciliation=ann, actor=book["ann"])
    assert _state() == before


def test_only_the_salesperson_answers_and_only_once(book, month):
    ann = sales_recon_open(period=month[1], actor=book["finance"], salesperson=book["ann"])[0]
    before = _state()
    for actor in (book["bob"], book["finance"]):
        with pytest.raises(Forbidden):
            sales_recon_answer(reconciliation=ann, actor=actor, agree=True)
    assert _state() == before
    sales_recon_answer(reconciliation=ann, actor=book["ann"], agree=True)
    with pytest.raises(Conflict):
        sales_recon_answer(reconciliation=ann, actor=book["ann"], agree=True)


@pytest.mark.parametrize(("agree", "differences", "field"), [
    (True, [{"customer_id": 0, "sales_minor": 1}], "differences"),
    (False, [], "differences"),
    (False, [{"customer_id": -1, "sales_minor": 1}], "differences[0].customer_id"),
    (False, [{"customer_id": "B1", "sales_minor": 1}], "differences[0].customer_id"),
    (False, [{"customer_id": "a1", "sales_minor": 1.5}], "differences[0].sales_minor"),
    (False, [{"customer_id": "a1", "sales_minor": 10**16}], "differences[0].sales_minor"),
    (False, [{"customer_id": "a1", "sales_minor": 113_000}], "differences[0].sales_minor"),
    (False, [{"customer_id": "a1", "sales_minor": 1, "note": "x" * 5001}], "differences[0].note"),
    (False, [{"customer_id": "a1", "sales_minor": 1, "currency": "C1"}], "differences[0].currency"),
    (False, [{"customer_id": "a2", "sales_minor": 1}, {"customer_id": "a1", "sales_minor": 2},
             {"customer_id": "a1", "sales_minor": 3}], "differences[2].customer_id"),
    (False, [{"customer_id": "nobody", "sales_minor": 1}], "differences[0].customer_id"),
])
def test_bad_differences_are_refused_naming_the_row_and_nothing_is_written(book, month, agree, differences, field):
    ann = sales_recon_open(period=month[1], actor=book["finance"], salesperson=book["ann"])[0]
    rows = [{**d, "customer_id": book[d["customer_id"].lower()].pk if isinstance(d["customer_id"], str)
             else d["customer_id"]} for d in differences]
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        sales_recon_answer(reconciliation=ann, actor=book["ann"], agree=agree, differences=rows)
    assert refused.value.field == field
    assert _state() == before


def test_a_month_that_has_not_ended_is_not_opened(book, today):
    with pytest.raises(ValidationFailed) as refused:
        sales_recon_open(period=today, actor=book["finance"])
    assert refused.value.field == "period"
    assert SalesReconciliation.objects.count() == 0 and AuditEvent.objects.filter(
        action="sales_recon_opened").count() == 0


def test_a_resolution_says_something(book, month):
    ann = sales_recon_open(period=month[1], actor=book["finance"], salesperson=book["ann"])[0]
    sales_recon_answer(reconciliation=ann, actor=book["ann"], agree=False,
                       differences=[{"customer_id": book["a1"].pk, "sales_minor": 1}])
    diff = ReconciliationDifference.objects.get()
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        sales_recon_difference_resolve(difference=diff, actor=book["finance"], resolution="  ")
    assert refused.value.field == "resolution" and _state() == before
