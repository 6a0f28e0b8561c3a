"""confirmation_reply: the published interface the portal calls; refusals write nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.audit.models import AuditEvent
from arms.audit.services import ExternalActor
from arms.cases.models import Activity, Dispute, Task
from arms.confirmations.models import Confirmation, ConfirmationDifference
from arms.confirmations.selectors import confirmations_for_customer
from arms.confirmations.services import confirmation_reply
from arms.confirmations.services.runs import confirmation_run_start
from arms.domain.workdays import add_working_days
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmation(book) -> Confirmation:
    run, created = confirmation_run_start(company=book.customer.company, period_end=book.period_end,
                                          actor=book.clerk)
    assert created
    return Confirmation.objects.get(run=run, customer=book.customer)


def counts() -> tuple:
    return (ConfirmationDifference.objects.count(), Task.objects.count(), Dispute.objects.count(),
            Activity.objects.count(), AuditEvent.objects.count(),
            list(Confirmation.objects.values_list("status", "answer")))


def test_run_freezes_the_figures(book, confirmation):
    data = confirmation.snapshot_data
    assert confirmation.period_end == book.period_end
    assert confirmation.opening_minor == 113_000
    assert confirmation.closing_minor == 113_000 + 56_500 - 50_000
    assert [line["number"] for line in data["statements"][0]["lines"]] == ["INV-NEW", book.payment.number]
    assert [item["number"] for item in data["open_items"]] == ["INV-OLD", "INV-NEW"]
    assert len(confirmation.sha256) == 64
    assert list(confirmations_for_customer(book.customer)) == [confirmation]


def test_portal_confirms(book, confirmation):
    actor = ExternalActor(kind="portal", name=book.contact.name, address="203.0.113.9")
    done = confirmation_reply(confirmation=confirmation, actor=actor, answer="confirmed", channel="portal",
                              contact=book.contact)
    assert (done.status, done.answer, done.answered_contact, done.answer_channel) == (
        "confirmed", "confirmed", book.contact, "portal")
    from arms.confirmations.selectors import confirmation_acknowledged_last

    assert confirmation_acknowledged_last(book.customer) == done
    event = AuditEvent.objects.filter(action="confirmation_answered").get()
    assert event.actor_name == "portal:王会计@203.0.113.9"
    assert Activity.objects.filter(source="confirmation", customer=book.customer).count() == 1


def test_dispute_makes_work_with_a_working_day_deadline(book, confirmation, today):
    done = confirmation_reply(
        confirmation=confirmation, actor=book.clerk, answer="disputed", channel="scan",
        scan=("reply.pdf", b"%PDF-1.4 signed"),
        differences=[{"invoice_id": book.inv_new.pk, "kind": "amount_differs", "amount_minor": 6_500,
                      "description": "price"},
                     {"invoice_id": None, "kind": "not_in_our_books", "amount_minor": 10_000,
                      "description": "payment 2024-09 by cheque"}],
    )
    assert done.status == "disputed" and done.scan.content == b"%PDF-1.4 signed"
    diffs = list(ConfirmationDifference.objects.order_by("pk"))
    assert [d.owner for d in diffs] == [book.collector, book.collector]
    assert {d.deadline for d in diffs} == {add_working_days(today, 5)}
    assert [d.task.due_on for d in diffs] == [add_working_days(today, 5)] * 2
    assert diffs[0].dispute.invoice == book.inv_new and diffs[0].dispute.amount_minor == 6_500
    assert diffs[1].dispute is None


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"answer": "maybe"}, "answer"),
    ({"channel": "fax"}, "channel"),
    ({"answer": "disputed"}, "differences"),
    ({"answer": "confirmed", "differences": [{"kind": "other", "amount_minor": 1, "description": "x"}]},
     "differences"),
    ({"answer": "disputed", "differences": [{"kind": "bogus", "amount_minor": 1}]}, "differences[0].kind"),
    ({"answer": "disputed", "differences": [{"kind": "other", "amount_minor": 0}]}, "differences[0].amount_minor"),
    ({"answer": "disputed", "differences": [{"kind": "other", "amount_minor": 10**16}]},
     "differences[0].amount_minor"),
    ({"answer": "disputed", "differences": [{"kind": "other", "amount_minor": 5, "description": "x" * 5001}]},
     "differences[0].description"),
    ({"answer": "disputed", "differences": [{"kind": "amount_differs", "amount_minor": 5, "invoice_id": -1}]},
     "differences[0].invoice_id"),
    ({"channel": "scan"}, "scan"),
    ({"channel": "scan", "scan": ("reply.exe", b"MZ")}, "scan"),
    ({"channel": "portal"}, "contact"),
    ({"note": "x" * 5001}, "note"),
])
def test_bad_reply_is_refused_and_writes_nothing(book, confirmation, kwargs, field):
    from arms.common.errors import ArmsError

    arguments = {"answer": "confirmed", "channel": "email", **kwargs}
    before = counts()
    with pytest.raises(ArmsError) as refused:
        confirmation_reply(confirmation=confirmation, actor=book.clerk, **arguments)
    assert refused.value.field == field
    assert counts() == before


def test_other_customers_invoice_or_contact_is_refused(book, confirmation):
    from arms.common.errors import ValidationFailed

    other = factories.customer("C2")
    foreign = factories.invoice(other, number="INV-X", issued=book.period_end.replace(day=3), actor=book.clerk)
    stranger = other.contacts.create(name="外人", email="x@example.cn")
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        confirmation_reply(confirmation=confirmation, actor=book.clerk, answer="disputed", channel="email",
                           differences=[{"invoice_id": foreign.pk, "kind": "amount_differs", "amount_minor": 1}])
    assert refused.value.field == "differences[0].invoice_id"
    with pytest.raises(ValidationFailed) as refused:
        confirmation_reply(confirmation=confirmation, actor=book.clerk, answer="confirmed", channel="portal",
                           contact=stranger)
    assert refused.value.field == "contact"
    assert counts() == before


def test_second_answer_is_refused(book, confirmation):
    from arms.confirmations.errors import ConfirmationAnswered

    confirmation_reply(confirmation=confirmation, actor=book.clerk, answer="confirmed", channel="email")
    before = counts()
    with pytest.raises(ConfirmationAnswered) as refused:
        confirmation_reply(confirmation=confirmation, actor=book.clerk, answer="disputed", channel="email",
                           differences=[{"kind": "other", "amount_minor": 1, "description": "x"}])
    assert refused.value.code == "confirmation_answered"
    assert counts() == before


def test_a_confirmed_letter_cannot_be_deleted_on_postgresql(book, confirmation):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's trigger refuses the DELETE; SQLite's test flush deletes rows")
    confirmation_reply(confirmation=confirmation, actor=book.clerk, answer="confirmed", channel="email")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM confirmations_confirmation WHERE id = %s", [confirmation.pk])
    assert Confirmation.objects.filter(pk=confirmation.pk, status="confirmed").exists()


def test_next_period_supersedes_only_unanswered_letters(book):
    from arms.confirmations.errors import ConfirmationNotOpen

    earlier_end = book.period_end.replace(day=1) - timedelta(days=1)
    run_before, _created = confirmation_run_start(company=book.customer.company, period_end=earlier_end,
                                                  actor=book.clerk)
    unanswered = Confirmation.objects.get(run=run_before)
    run, _created = confirmation_run_start(company=book.customer.company, period_end=book.period_end,
                                           actor=book.clerk)
    unanswered.refresh_from_db()
    assert unanswered.status == "superseded"
    assert list(confirmations_for_customer(book.customer)) == [Confirmation.objects.get(run=run)]
    before = counts()
    with pytest.raises(ConfirmationNotOpen):
        confirmation_reply(confirmation=unanswered, actor=book.clerk, answer="confirmed", channel="email")
    assert counts() == before
