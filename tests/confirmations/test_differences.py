"""Settling differences every way, refusals naming the field with nothing changed, the rejection e-mailed back; a
portal contact's dispute opens the same work as a clerk's."""

from __future__ import annotations

import pytest

from arms.audit.models import AuditEvent
from arms.audit.services import ExternalActor
from arms.cases.models import Dispute, Task
from arms.common.errors import ArmsError, Forbidden
from arms.confirmations.models import Confirmation, ConfirmationDifference
from arms.confirmations.services import confirmation_reply, difference_resolve
from arms.confirmations.services.runs import confirmation_run_start
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def differences(book):
    run, _created = confirmation_run_start(company=book.customer.company, period_end=book.period_end,
                                           actor=book.clerk)
    letter = Confirmation.objects.get(run=run)
    portal = ExternalActor(kind="portal", name=book.contact.name, address="198.51.100.7")
    confirmation_reply(confirmation=letter, actor=portal, answer="disputed", channel="portal", contact=book.contact,
                       differences=[
                           {"invoice_id": book.inv_new.pk, "kind": "amount_differs", "amount_minor": 6_500,
                            "description": "单价"},
                           {"invoice_id": None, "kind": "not_in_our_books", "amount_minor": 50_000,
                            "description": "已付"},
                           {"invoice_id": book.inv_old.pk, "kind": "not_in_customer_books", "amount_minor": 113_000,
                            "description": "未收到发票"},
                           {"invoice_id": None, "kind": "other", "amount_minor": 100, "description": "运费"}])
    return list(ConfirmationDifference.objects.order_by("pk"))


def test_portal_dispute_opens_disputes_tasks_and_audits_the_contact(book, differences):
    assert [d.dispute is not None for d in differences] == [True, False, True, False]
    assert Dispute.objects.filter(status="open").count() == 2
    assert Task.objects.filter(source="confirmation", status="open").count() == 4
    raised = AuditEvent.objects.filter(action="confirmation_difference_raised")
    assert raised.count() == 4 and {e.actor_name for e in raised} == {"portal:王会计@198.51.100.7"}


def test_each_resolution(book, differences, mailoutbox, django_capture_on_commit_callbacks):
    amount, paid, missing, other = differences
    corrected = factories.invoice(book.customer, number="INV-NEW-R", net=45_000, tax=5_850,
                                  issued=book.period_end.replace(day=11), actor=book.clerk)
    difference_resolve(difference=amount, actor=book.clerk, resolution="corrected_invoice",
                       corrected_invoice_id=corrected.pk, explanation="重开")
    difference_resolve(difference=paid, actor=book.clerk, resolution="payment_applied",
                       payment_id=book.payment.pk)
    difference_resolve(difference=missing, actor=book.clerk, resolution="credit_note")
    with django_capture_on_commit_callbacks(execute=True):
        difference_resolve(difference=other, actor=book.clerk, resolution="rejected",
                           explanation="运费按合同由贵司承担")
    assert [d.status for d in ConfirmationDifference.objects.order_by("pk")] == ["resolved"] * 4
    assert Dispute.objects.filter(status="open").count() == 0
    assert Task.objects.filter(source="confirmation", status="open").count() == 0
    missing.refresh_from_db()
    assert missing.credit_note.gross_minor == 113_000
    [mail] = mailoutbox
    assert mail.to == ["wang@example.cn"] and "运费按合同由贵司承担" in mail.body


def test_refusals_name_the_field_and_change_nothing(book, differences):
    amount, paid, _missing, other = differences
    foreign = factories.invoice(factories.customer("C9"), number="INV-C9", actor=book.clerk,
                                issued=book.period_end.replace(day=2))
    before = (list(ConfirmationDifference.objects.values_list("status", flat=True)), AuditEvent.objects.count())
    cases = [
        (dict(difference=amount, resolution="corrected_invoice", corrected_invoice_id=foreign.pk),
         "corrected_invoice_id"),
        (dict(difference=paid, resolution="payment_applied", payment_id=None), "payment_id"),
        (dict(difference=other, resolution="credit_note"), "credit_note_id"),
        (dict(difference=other, resolution="rejected", explanation=""), "explanation"),
        (dict(difference=other, resolution="forgiven"), "resolution"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ArmsError) as refused:
            difference_resolve(actor=book.clerk, **kwargs)
        assert refused.value.field == field, kwargs
    with pytest.raises(Forbidden):
        difference_resolve(difference=amount, actor=book.collector, resolution="credit_note")
    assert (list(ConfirmationDifference.objects.values_list("status", flat=True)),
            AuditEvent.objects.count()) == before
    difference_resolve(difference=other, actor=book.clerk, resolution="rejected", explanation="不是差异")
    from arms.confirmations.errors import DifferenceResolved

    with pytest.raises(DifferenceResolved):
        difference_resolve(difference=other, actor=book.clerk, resolution="rejected", explanation="again")
