"""Scheduled ledger work (Huey). Tasks call services and selectors; they hold no business rules."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from arms.audit.services import audit_verify
from arms.ledger.check import ledger_check
from arms.ledger.seal import journal_seals_verify

log = logging.getLogger("arms.integrity")


def integrity_check() -> dict:
    """Run `ledger check` and `audit verify`; log an error naming every failed check."""
    failed = {r.code: r.rows for r in ledger_check(limit=5) if not r.ok}
    chain = audit_verify()
    seals = journal_seals_verify(limit=5)
    if not seals.ok:
        log.error("journal seals broken: %s", "; ".join(seals.problems))
    if failed:
        log.error("ledger check failed: %s", failed)
    if not chain.ok:
        log.error("audit chain broken at event %s: %s", chain.first_bad_seq, chain.problem)
    return {"ledger_ok": not failed, "failed_checks": sorted(failed), "audit_ok": chain.ok,
            "audit_events": chain.checked, "audit_first_bad_seq": chain.first_bad_seq, "seals_ok": seals.ok}


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_integrity_check() -> dict:
    return integrity_check()
