"""Demo data of balance confirmations, after the ledger, collections and dunning are loaded: last month's run,
most letters sent (a few by e-mail with the PDF, the rest recorded as posted by EMS), about half of those
confirmed (from the signed scan or an e-mail reply), and one disputed with an open difference on an invoice
(a task for the collector, due in 5 working days). Safe to run twice: the run is reused."""

from __future__ import annotations

import random
from datetime import date, timedelta

from arms.confirmations.enums import ConfirmationStatus, DifferenceStatus
from arms.confirmations.models import Confirmation, ConfirmationDifference
from arms.confirmations.services import confirmation_post_record, confirmation_reply, confirmation_send
from arms.confirmations.services.dispatch import recipients_for
from arms.confirmations.services.runs import confirmation_run_start
from arms.customers.services import company_ensure
from arms.ledger.models import Invoice

#: letters e-mailed with their PDF (rendering is the slow part); the others are recorded as posted
DEMO_EMAILED = 3


def seed_demo(*, today: date, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    period_end = today.replace(day=1) - timedelta(days=1)
    run, created = confirmation_run_start(company=company_ensure(), period_end=period_end, actor=None, inline=True)
    letters = list(Confirmation.objects.filter(run=run).select_related("customer").order_by("pk"))
    if created:
        emailed = 0
        for index, letter in enumerate(letters):
            if index % 10 == 9:
                continue  # one in ten still waits to be sent
            if emailed < DEMO_EMAILED and recipients_for(letter.customer):
                confirmation_send(confirmation=letter, actor=None)
                emailed += 1
            else:
                confirmation_post_record(confirmation=letter, actor=None, carrier="EMS",
                                         tracking_no=f"E{rng.randrange(10**8, 10**9)}CN",
                                         sent_on=min(today, period_end + timedelta(days=3)),
                                         recipient=letter.customer.name[:300])
        sent = [letter for letter in letters if Confirmation.objects.get(pk=letter.pk).status ==
                ConfirmationStatus.SENT]
        disputed = False
        for letter in sent:
            open_invoice = Invoice.objects.filter(customer=letter.customer, amount_open_minor__gt=1_000,
                                                  issue_date__lte=period_end).order_by("pk").first()
            if not disputed and open_invoice is not None:
                confirmation_reply(
                    confirmation=letter, actor=None, answer="disputed", channel="scan",
                    scan=("回执-盖章.pdf", b"%PDF-1.4\n% demo: the customer's signed and sealed reply\n"),
                    differences=[{"invoice_id": open_invoice.pk, "kind": "amount_differs",
                                  "amount_minor": min(open_invoice.amount_open_minor, 50_000),
                                  "description": "数量与送货单不符，按实收数量应少开"}])
                disputed = True
            elif rng.random() < 0.5:
                scan = ("回执.pdf", b"%PDF-1.4\n% demo reply\n") if rng.random() < 0.5 else None
                confirmation_reply(confirmation=letter, actor=None, answer="confirmed",
                                   channel="scan" if scan else "email", scan=scan)
    mine = Confirmation.objects.filter(run=run)
    return {
        "confirmation letters": mine.count(),
        "confirmations sent": mine.exclude(status=ConfirmationStatus.PREPARED).count(),
        "confirmations confirmed": mine.filter(status=ConfirmationStatus.CONFIRMED).count(),
        "confirmation differences open": ConfirmationDifference.objects.filter(
            status=DifferenceStatus.OPEN).count(),
    }
