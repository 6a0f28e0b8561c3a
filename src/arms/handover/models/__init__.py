"""Hand-overs (逾期账款交接表): when a salesperson or collector changes, what moves is listed, frozen, acknowledged by
both people, and only then moved.

Invariants:

- ``snapshot`` (canonical JSON) and ``sha256`` are written when the hand-over is opened and never change: the
  list both people acknowledge is exactly what was hashed, whatever the ledger says later.
- A hand-over is *awaiting* until both sides have acknowledged, then *completed* (in the same transaction as the
  moves), or *cancelled* before that. A completed or cancelled hand-over is never changed again.
- ``from_user`` and ``to_user`` differ; every customer of the hand-over had ``from_user`` in ``role`` when it was
  opened, and is in at most one awaiting hand-over per role.
"""

from arms.handover.models.handover import Handover

__all__ = ["Handover"]
