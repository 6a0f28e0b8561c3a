"""Demo data of dunning, after the ledger, credit, exposure and cases are loaded.

The standard policy, a stricter one for grade D customers, one customer excluded (in negotiation), and three
dunning runs (four weeks ago, two weeks ago, today), so the demo shows the whole ladder: reminders, calls,
letters, holds, lawyer's letters. The e-mails are left *pending* in the outbox: the demo's queue consumer sends
them (to ``var/mail/*.eml`` when no ``ARMS_SMTP_URL`` names a server) at its next ten-minute check. No PDF is
rendered during the seed: a letter, lawyer's letter or statement is rendered from the action's figures when
someone first opens it (``dunning.documents.stored_or_rendered``, behind the dunning and legal pages and the API).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from arms.customers.models import Customer
from arms.dunning.models import DunningAction, DunningEmail, DunningExclusion, DunningPolicy, RunTrigger
from arms.dunning.services import dunning_run, exclusion_add, policy_create, policy_ensure_default, process_actions


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    policy_ensure_default()
    if not DunningPolicy.objects.filter(code="grade-d").exists():
        policy_create(actor=None, code="grade-d", name="D级客户从严催收", grade="D", priority=10, stages=[
            {"code": "pre_due", "name": "到期前提醒", "offset_days": -10, "level": "sales", "send_email": True,
             "email_template": "pre_due"},
            {"code": "reminder", "name": "逾期提醒", "offset_days": 1, "level": "finance", "send_email": True,
             "email_template": "overdue"},
            {"code": "letter", "name": "催款函并停止供货", "offset_days": 10, "level": "finance", "send_email": True,
             "email_template": "letter", "letter_kind": "letter", "task_kind": "follow_up", "stop_supply": True},
            {"code": "lawyer_letter", "name": "律师函", "offset_days": 45, "level": "credit_legal",
             "send_email": True, "email_template": "lawyer_letter", "letter_kind": "lawyer_letter",
             "task_kind": "legal_review"},
            {"code": "handoff", "name": "移交诉讼", "offset_days": 120, "level": "credit_legal",
             "task_kind": "handoff"},
        ])
    if not DunningExclusion.objects.exists():
        candidates = list(Customer.objects.filter(invoices__amount_open_minor__gt=0).distinct().order_by("code")[:20])
        if candidates:
            exclusion_add(customer=rng.choice(candidates), reason="战略客户，正在商谈整体付款安排", actor=None)

    # No PDF now: each is rendered when first opened (rendering the last run's letters was most of the seed's time).
    for days_ago in (28, 14, 0):
        run = dunning_run(as_of=today - timedelta(days=days_ago), trigger=RunTrigger.DEMO, process=False)
        process_actions(run.pk, queue_email=False, documents_wanted=())
    return {"dunning actions": DunningAction.objects.count(),
            "dunning e-mails pending": DunningEmail.objects.filter(status="pending").count()}
