"""The confirmation story, told on the calendar it needs: a run for August, e-mailed through a real SMTP server on
the last working day before National Day; the customer's clerk sends back a signed scan disputing one invoice; the
difference is due 5 working days later, after the holiday week; a credit note settles it; September's letter
(with the credit note in it) is confirmed and is then frozen in the database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction

from arms.audit.services import canonical_text, sha256_hex
from arms.cases.models import Dispute, Task
from arms.confirmations.models import Confirmation, ConfirmationDifference, ConfirmationDispatch, ConfirmationRun
from arms.confirmations.services import (
    confirmation_post_record,
    confirmation_reply,
    confirmation_run_start,
    difference_resolve,
    run_send,
)
from arms.customers.models import Contact
from arms.domain.workdays import add_working_days, chinese_is_workday
from tests import clock, factories

pytestmark = pytest.mark.django_db


def story_year(today: date) -> int:
    """The frozen year when the official calendar knows its National Day, else the latest year it knows."""
    import chinese_calendar

    known = sorted({day.year for day in chinese_calendar.holidays})
    return today.year if today.year in known else known[-1]


def last_working_day_before(day: date) -> date:
    day -= timedelta(days=1)
    while not chinese_is_workday(day):
        day -= timedelta(days=1)
    return day


def test_run_send_dispute_across_national_day_credit_note_then_confirmed(
        today, smtp_server, django_capture_on_commit_callbacks, settings):
    year = story_year(today)
    eve = last_working_day_before(date(year, 10, 1))
    with clock.travel(eve):
        clerk = factories.user("clerk", role="finance_clerk")
        collector = factories.user("collector", role="collector")
        customer = factories.customer("C1", collector=collector)
        Contact.objects.create(customer=customer, name="王会计", email="wang@example.cn", is_primary=True)
        factories.invoice(customer, number="INV-JUL", net=100_000, tax=13_000, issued=date(year, 7, 5),
                                    actor=clerk)
        disputed = factories.invoice(customer, number="INV-AUG", net=50_000, tax=6_500, issued=date(year, 8, 10),
                                     actor=clerk)
        factories.payment(customer, amount=40_000, received=date(year, 8, 20), actor=clerk)

        run, created = confirmation_run_start(company=customer.company, period_end=date(year, 8, 31), actor=clerk)
        assert created and run.customer_count == 1 and run.status == "ready"
        again, created = confirmation_run_start(company=customer.company, period_end=date(year, 8, 15), actor=clerk)
        assert (again, created) == (run, False) and Confirmation.objects.count() == 1
        august = Confirmation.objects.get(run=run)
        assert (august.opening_minor, august.closing_minor) == (113_000, 113_000 + 56_500 - 40_000)
        assert august.sha256 == sha256_hex(august.snapshot)
        assert august.snapshot == canonical_text(august.snapshot_data)

        with django_capture_on_commit_callbacks(execute=True):
            assert run_send(run=run, actor=clerk) == {"sent": 1, "no_email": 0}
        [message] = smtp_server.messages
        assert message["To"] == "wang@example.cn"
        text = next(part for part in message.walk() if part.get_content_type() == "text/plain").get_content()
        assert "/portal/enter/" in text
        names = [part.get_filename() for part in message.walk() if part.get_filename()]
        assert names == [f"confirmation-C1-{year}08.pdf"]
        dispatch = ConfirmationDispatch.objects.get(confirmation=august)
        assert message["Message-ID"].strip() == dispatch.message_id
        august.refresh_from_db()
        assert august.status == "sent"
        confirmation_post_record(confirmation=august, actor=clerk, carrier="EMS", tracking_no="EA123456789CN",
                                 sent_on=eve)

        confirmation_reply(
            confirmation=august, actor=clerk, answer="disputed", channel="scan",
            scan=("回执-盖章.pdf", b"%PDF-1.7 signed and sealed"), note="价格不符",
            differences=[{"invoice_id": disputed.pk, "kind": "amount_differs", "amount_minor": 6_500,
                          "description": "单价按合同应为 440 元"}],
        )
        difference = ConfirmationDifference.objects.get()
        deadline = add_working_days(eve, 5)
        assert difference.deadline == deadline and difference.owner == collector
        if not chinese_is_workday(date(year, 10, 2)):
            assert deadline > date(year, 10, 7)  # the holiday week does not count
        task = Task.objects.get(source="confirmation", source_ref=f"difference:{difference.pk}")
        assert (task.assignee, task.due_on, task.status) == (collector, deadline, "open")
        dispute = Dispute.objects.get(invoice=disputed)
        assert dispute.amount_minor == 6_500 and dispute.status == "open"

    settle_day = deadline - timedelta(days=1) if chinese_is_workday(deadline - timedelta(days=1)) else deadline
    with clock.travel(settle_day):
        settled = difference_resolve(difference=difference, actor=clerk, resolution="credit_note",
                                     explanation="单价差异属实，开具红字发票")
        assert settled.credit_note.gross_minor == 6_500
        disputed.refresh_from_db()
        assert disputed.amount_open_minor == 56_500 - 6_500
        task.refresh_from_db()
        assert task.status == "done"
        dispute.refresh_from_db()
        assert dispute.status == "resolved"

    with clock.travel(date(year, 10, 20)):
        run2, _created = confirmation_run_start(company=customer.company, period_end=date(year, 9, 30),
                                                actor=clerk)
        september = Confirmation.objects.get(run=run2)
        assert september.opening_minor == august.closing_minor
        kinds = [line["kind"] for line in september.snapshot_data["statements"][0]["lines"]]
        assert "credit_note" in kinds or settle_day.month == 10
        confirmation_reply(confirmation=september, actor=clerk, answer="confirmed", channel="email")
        august.refresh_from_db()
        september.refresh_from_db()
        assert (august.status, september.status) == ("disputed", "confirmed")
        assert ConfirmationRun.objects.count() == 2

        # the database itself refuses to change a confirmed row, whatever goes around the services
        for sql in ("UPDATE confirmations_confirmation SET closing_minor = 1 WHERE id = %s",
                    "UPDATE confirmations_confirmation SET answer_note = 'x' WHERE id = %s",
                    "UPDATE confirmations_confirmation SET status = 'sent', answer = '' WHERE id = %s"):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [september.pk])
        # and the figures of any letter never change
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE confirmations_confirmation SET snapshot = '{}' WHERE id = %s", [august.pk])
        september.refresh_from_db()
        assert september.sha256 == sha256_hex(september.snapshot)
