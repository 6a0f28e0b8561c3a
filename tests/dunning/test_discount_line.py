"""The pre-due reminder says what paying early still earns: the invoice's early-payment discount while its window is
open on the reminder's day, and nothing once it has closed."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from arms.dunning.documents import letter_for, render_email
from arms.dunning.models import DunningAction
from arms.dunning.services import dunning_run
from tests import factories
from tests.dunning.conftest import make_customer


def _reminder(people, *, discount_days: int):
    today = timezone.localdate()
    issued = today - timedelta(days=23)  # due in 7 days: the friendly reminder's day
    buyer = make_customer(people, name="常州宏远纺织有限公司")
    invoice = factories.invoice(buyer, net=1_000_000, tax=130_000, issued=issued, discount_bp=200,
                                discount_until=issued + timedelta(days=discount_days))
    dunning_run(as_of=today, process=False)
    action = DunningAction.objects.select_related("stage", "customer__company", "policy").get(customer=buyer)
    assert action.stage.code == "pre_due"
    return invoice, letter_for(action)


def test_the_pre_due_reminder_names_the_open_discount(policy, people):
    invoice, letter = _reminder(people, discount_days=25)
    [line] = letter.lines
    assert "2/25, n/30" in line.discount and "11,074.00 CNY" in line.discount
    _subject, body = render_email(letter)
    assert invoice.number in body and "11,074.00 CNY" in body and "226.00 CNY" in body


def test_a_closed_window_is_not_offered(policy, people):
    invoice, letter = _reminder(people, discount_days=10)
    [line] = letter.lines
    assert line.discount == ""
    _subject, body = render_email(letter)
    assert invoice.number in body and "2/10" not in body
