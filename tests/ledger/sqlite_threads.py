"""The PostgreSQL allocation races, on a file-based SQLite database, as a script.

SQLite has no row locks: ARMS opens every transaction IMMEDIATE, so a writer takes the database's write
lock when it begins and the others wait. The test suite's SQLite database lives in memory, which threads
cannot share that way, so test_concurrency_sqlite.py runs this module in a child process with
DATABASE_URL pointing at a fresh file, and reads the JSON it prints.

    DATABASE_URL=sqlite:////tmp/x.sqlite3 DJANGO_SETTINGS_MODULE=arms.settings.test \
        python -m tests.ledger.sqlite_threads

A child process does not see the suite's time-machine clock: it travels to the same test day itself
(ARMS_TEST_TODAY, which the suite passes on in the environment), so it runs on the day the suite runs on.
"""

from __future__ import annotations

import json
from datetime import date


def main() -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from arms.audit.services import audit_verify
    from arms.customers.services import company_ensure
    from arms.ledger import services
    from arms.ledger.check import ledger_check
    from arms.ledger.models import Invoice, Payment
    from arms.ledger.services.allocations import AllocationRequest
    from tests import factories
    from tests.ledger.concurrency import outcomes, race

    company_ensure()
    threads = 8
    report: dict = {}

    customer = factories.customer()
    first, second = factories.invoice(customer), factories.invoice(customer, net=50_000, tax=6_500)
    payment = factories.payment(customer, amount=100_000)
    results = race([lambda: services.payment_allocate(
        actor=None, payment=Payment.objects.get(pk=payment.pk), on=date(2026, 2, 1),
        lines=[AllocationRequest(first.pk, 20_000), AllocationRequest(second.pk, 10_000)],
    )] * threads)
    report["one_payment"] = {
        "outcomes": dict(outcomes(results)),
        "unallocated": Payment.objects.get(pk=payment.pk).amount_unallocated_minor,
        "open": [Invoice.objects.get(pk=pk).amount_open_minor for pk in (first.pk, second.pk)],
    }

    customer = factories.customer()
    invoice = factories.invoice(customer)
    payment_ids = [factories.payment(customer, amount=20_000).pk for _ in range(threads)]

    def allocate(payment_id):
        return lambda: services.payment_allocate(actor=None, payment=Payment.objects.get(pk=payment_id),
                                                 lines=[AllocationRequest(invoice.pk, 20_000)], on=date(2026, 2, 1))

    results = race([allocate(pk) for pk in payment_ids])
    report["one_invoice"] = {
        "outcomes": dict(outcomes(results)),
        "open": Invoice.objects.get(pk=invoice.pk).amount_open_minor,
    }

    report["ledger_problems"] = {r.code: r.rows for r in ledger_check() if r.rows}
    report["audit_ok"] = audit_verify().ok
    return report


if __name__ == "__main__":
    from tests import clock

    with clock.travel(clock.suite_moment()):
        print(json.dumps(main(), default=str))
