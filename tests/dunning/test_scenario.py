"""A customer's year of dunning, told as a story (Tryton's scenario_dunning in spirit).

Two invoices under a contract with 万分之五 per day late interest and a 5% penalty. The ladder reminds a week
before the due date, e-mails the day after, has the salesperson call at +15; a partial payment and a broken
promise later the formal letter goes out at +30 and finance takes over; a dispute keeps the second invoice out
of dunning until a credit note settles it; at +60 supply stops, at +90 the lawyer's letter goes out. Every
e-mail is received by a real SMTP server; every PDF is read back; every step is a collections activity.
"""

from __future__ import annotations

from datetime import date

import pytest

from arms.cases.models import Activity, Task
from arms.dunning.models import DunningAction, DunningEmail, DunningItem, DunningRun, EmailStatus
from arms.dunning.services import dunning_run
from arms.dunning.services.reviews import letter_approve_and_send
from arms.exposure.models import CreditHold
from arms.ledger.services import payment_allocate, payment_record
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.dunning.conftest import AFTER_THE_STORIES, make_contract, make_customer, pdf_text
from tests.smtp import attachments, body_text

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), AFTER_THE_STORIES]


def run_on(day: date) -> tuple[DunningRun, list[DunningAction]]:
    run = dunning_run(as_of=day)
    run.refresh_from_db()
    return run, list(run.actions.select_related("stage", "email").order_by("pk"))


def test_a_year_of_dunning(flushable, real_pdf, policy, people, smtp_server):
    from arms.cases.services.disputes import dispute_raise, dispute_resolve
    from arms.cases.services.promises import promise_record, promises_check

    buyer = make_customer(people, name="上海宏达机械有限公司")
    contract = make_contract(buyer)
    # Given invoice A due 9 Feb and invoice B due 24 Feb, both 100,000.00 + 13% VAT
    a = factories.invoice(buyer, net=10_000_000, tax=1_300_000, issued=date(2026, 1, 10), contract=contract)
    b = factories.invoice(buyer, net=10_000_000, tax=1_300_000, issued=date(2026, 1, 25), contract=contract)
    assert (a.due_date, b.due_date) == (date(2026, 2, 9), date(2026, 2, 24))

    # -7: a friendly reminder e-mail, in Chinese, to the finance contact first, with the statement attached
    run, [action] = run_on(date(2026, 2, 2))
    assert (action.stage.code, action.open_minor, action.interest_minor) == ("pre_due", 11_300_000, 0)
    [msg] = smtp_server.messages
    assert "付款提醒" in msg["Subject"] and "上海宏达机械有限公司" in msg["Subject"]
    assert msg["To"] == "ap@buyer.example.cn, buyer@buyer.example.cn"
    assert a.number in body_text(msg) and b.number not in body_text(msg)
    statement = attachments(msg)[f"statement-20260202-{action.pk:06d}.pdf"]
    assert "催收对账单" in pdf_text(statement) and a.number in pdf_text(statement)
    assert DunningEmail.objects.get(action=action).status == EmailStatus.SENT

    # +1: the payment reminder, received by the SMTP server
    run, [action] = run_on(date(2026, 2, 10))
    assert action.stage.code == "reminder"
    msg = smtp_server.messages[-1]
    assert "逾期付款提醒" in msg["Subject"] and "已逾期 1 天" in body_text(msg) and a.number in body_text(msg)
    assert msg["Message-ID"].strip() == action.email.message_id

    # +15: a call task for the salesperson (and B, a week before its due date, gets its friendly reminder)
    run, actions = run_on(date(2026, 2, 24))
    assert [(x.stage.code, x.open_minor) for x in actions] == [("call", 11_300_000), ("pre_due", 11_300_000)]
    call = Task.objects.get(source="dunning", source_ref=f"action:{actions[0].pk}")
    assert (call.kind, call.assignee, call.level) == ("call", people["sales"], "sales")
    assert len(smtp_server.messages) == 3

    # the customer pays half of A, and promises the rest by 9 March ... and does not keep the promise
    clerk = people["manager"]
    pay = payment_record(actor=clerk, customer=buyer, received_date=date(2026, 2, 26), amount_minor=5_650_000)
    payment_allocate(actor=clerk, payment=pay, lines=[AllocationRequest(a.pk, 5_650_000)], on=date(2026, 2, 26))
    promise_record(customer=buyer, amount_minor=5_650_000, promised_on=date(2026, 3, 9), actor=clerk,
                   made_on=date(2026, 2, 27), invoices=[a])
    run, actions = run_on(date(2026, 3, 5))  # B's +1 is due; A is held by the promise (nothing new due anyway)
    assert [x.stage.code for x in actions] == ["reminder"] and run.held_count == 1
    assert promises_check(as_of=date(2026, 3, 10))["broken"] == 1

    # +30: the formal letter for A on what is still open, with interest and penalty; finance takes over
    run, actions = run_on(date(2026, 3, 11))
    letter = next(x for x in actions if x.stage.code == "letter")
    assert [i.invoice_id for i in letter.items.all()] == [a.pk]
    assert (letter.open_minor, letter.interest_minor, letter.penalty_minor) == (5_650_000, 84_750, 282_500)
    assert next(x for x in actions if x != letter).stage.code == "call"  # B at +15
    text = pdf_text(letter.letter_pdf.read())
    assert "催款函" in text and "上海宏达机械有限公司" in text and a.number in text
    assert "56,500.00" in text and "847.50" in text and "2,825.00" in text and "万分之5" in text
    follow_up = Task.objects.get(source="dunning", source_ref=f"action:{letter.pk}")
    assert (follow_up.kind, follow_up.assignee, follow_up.level) == ("follow_up", people["collector"], "finance")
    msg = next(m for m in smtp_server.messages if "催款函" in m["Subject"])
    assert set(attachments(msg)) == {f"letter-20260311-{letter.pk:06d}.pdf", f"statement-20260311-{letter.pk:06d}.pdf"}
    letter_activity = Activity.objects.get(source="dunning", source_ref=f"action:{letter.pk}")
    assert letter_activity.kind == "letter" and letter_activity.attachment.sha256 == letter.letter_sha256

    # B is disputed: from now on it is not dunned, however old it gets
    dispute = dispute_raise(invoice=b, amount_minor=11_300_000, reason_code="quality", actor=clerk,
                            raised_on=date(2026, 3, 20))
    run, actions = run_on(date(2026, 3, 26))  # B would be at +30
    assert actions == [] and run.held_count == 1
    assert not DunningItem.objects.filter(invoice=b, stage_offset=30).exists()
    dispute_resolve(dispute=dispute, resolution="credit_note", actor=clerk, on=date(2026, 4, 1))
    b.refresh_from_db()
    assert b.amount_open_minor == 0

    # +60: visit, and supply stops (a credit hold the exposure check enforces)
    run, [stop] = run_on(date(2026, 4, 10))
    assert stop.stage.code == "stop_supply" and [i.invoice_id for i in stop.items.all()] == [a.pk]
    hold = CreditHold.objects.get(customer=buyer, active=True)
    assert hold.reason_code == "dunning_stop_supply"
    visit = Task.objects.get(source="dunning", source_ref=f"action:{stop.pk}")
    assert (visit.kind, visit.assignee) == ("visit", people["collector"])

    # +90: the lawyer's letter is drafted for legal to review; nothing goes out until legal approves it
    sent_before = len(smtp_server.messages)
    run, [lawyer] = run_on(date(2026, 5, 10))
    assert lawyer.stage.code == "lawyer_letter" and lawyer.status == "awaiting_review" and not lawyer.letter_pdf
    review = Task.objects.get(source="dunning", source_ref=f"action:{lawyer.pk}")
    assert (review.kind, review.assignee, review.level) == ("legal_review", people["legal"], "credit_legal")
    assert len(smtp_server.messages) == sent_before
    lawyer = letter_approve_and_send(actor=people["legal"], action_id=lawyer.pk)
    text = pdf_text(lawyer.letter_pdf.read())  # no law firm configured: our legal department's 催告函
    assert "催告函" in text and "民法典" in text and a.number in text and "上海仲裁委员会" in text
    assert Activity.objects.get(source="dunning", source_ref=f"action:{lawyer.pk}").kind == "lawyer_letter"

    # Every action is on the customer's history; a second run the same day is the same run and sends nothing
    sent, actions_before = len(smtp_server.messages), DunningAction.objects.count()
    assert set(Activity.objects.filter(source="dunning", source_ref__startswith="action:").values_list(
        "source_ref", flat=True)) == {f"action:{pk}" for pk in DunningAction.objects.values_list("pk", flat=True)}
    again, actions = run_on(date(2026, 5, 10))
    assert again.pk == run.pk and actions == [lawyer] and len(smtp_server.messages) == sent
    assert DunningAction.objects.count() == actions_before
    assert CreditHold.objects.filter(customer=buyer, active=True).count() == 1
