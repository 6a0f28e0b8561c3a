"""Limitation periods (诉讼时效): each claim's clock, the interruptions that restarted it, alerts and settings.

Design overview and invariants (★ = also enforced by the database):

- ``LimitationSettings`` (one per company ★): the period in years (3, 民法典 第一百八十八条; 1-20 ★) and the
  days before expiry at which the collector and legal are alerted (180, 90, 30).
- ``LimitationInterruption``: one fact that interrupted an invoice's period (a demand delivered, a confirmed
  balance, a part payment, a promise, an installment plan, a lawsuit, an arbitration), on a day, with where it
  came from (``source``: ``"dunning.action:12"``, ``"ledger.allocation:9"``, ``"legal.case:4"``; empty for one
  recorded by hand) and its evidence file. It is evidence: never changed or deleted (``ImmutableModel``).
  ★ One row per (invoice, kind, source) when it has a source, so collecting the same fact twice adds nothing;
  ★ one row per (invoice, kind, day) among those recorded by hand.
- ``LimitationClock`` (one per invoice ★): the invoice's start, last interruption and expiry as
  ``arms.domain.limitation.clock_for`` computes them from the due date and the interruptions, and its status
  (running / expiring / expired / stopped when nothing is owed). It is derived: ``limitation_refresh`` rewrites
  it, and nothing else decides from it without recomputing.
- ``LimitationAlert``: an alert sent at a threshold. ★ One per (invoice, threshold, expiry date): a threshold
  alerts once per clock period, and an interruption (a new expiry date) re-arms it.
"""

from arms.limitation.models.clock import LimitationAlert, LimitationClock
from arms.limitation.models.interruption import LimitationInterruption
from arms.limitation.models.settings import LimitationSettings

__all__ = ["LimitationAlert", "LimitationClock", "LimitationInterruption", "LimitationSettings"]
