"""The credit check's rules: given a customer's exposure, limit, grade, overdue items and holds, decide whether a
document that raises exposure may go ahead (allow), goes ahead with a warning (warn) or is refused (block).

Plain Python on ints (minor units of the limit's currency), so the rules are tested in milliseconds. The
service (``arms.exposure.services.credit_check``) gathers the facts on the locked customer row and turns the
reasons into translated messages.

Rules, in the order they are reported:

1. ``hold``: every active credit hold (manual, limit, overdue, grade D, dunning stop-supply) blocks, whether
   or not the customer is under credit control: a hold is a person's (or the dunning ladder's) explicit stop.
2. A customer without a credit limit and not prepayment-only is not under credit control: ``unrated`` warns
   and no other rule applies, so a customer nobody has rated yet can always be invoiced.
3. ``grade_d``: a prepayment-only customer (grade D) is blocked unless prepaid cash covers the document.
4. ``overdue``: an item overdue ``overdue_block_days`` days or more blocks, unless its open amount is below
   ``overdue_block_min_minor`` (a rounding leftover of a few fen must not stop supply). The service counts
   the items that qualify (``overdue_items``); the rule reports them.
5. ``limit_exceeded``: exposure plus what the document adds above the limit blocks.
6. ``near_limit``: exposure plus what the document adds above ``warn_share_bp`` of the limit warns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALLOW = "allow"
WARN = "warn"
BLOCK = "block"

#: warn when a document takes exposure above this share of the limit, in basis points (90%).
DEFAULT_WARN_SHARE_BP = 9000


@dataclass(frozen=True)
class HoldFact:
    hold_id: int
    reason_code: str
    note: str = ""
    source_ref: str = ""


@dataclass(frozen=True)
class CreditFacts:
    """What the check knows about a customer and a document, amounts in minor units of the limit currency."""

    exposure_minor: int
    increase_minor: int
    amount_minor: int
    limit_minor: int | None = None
    prepayment_only: bool = False
    grade: str = ""
    prepaid_minor: int = 0
    overdue_minor: int = 0
    overdue_items: int = 0
    oldest_overdue_days: int = 0
    overdue_block_days: int = 90
    overdue_block_min_minor: int = 100_00
    holds: tuple[HoldFact, ...] = ()
    warn_share_bp: int = DEFAULT_WARN_SHARE_BP

    @property
    def controlled(self) -> bool:
        """Under credit control: a limit is set, or the customer may buy only against prepayment."""
        return self.limit_minor is not None or self.prepayment_only

    @property
    def exposure_after_minor(self) -> int:
        return self.exposure_minor + self.increase_minor


@dataclass(frozen=True)
class Reason:
    code: str
    severity: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    decision: str
    reasons: tuple[Reason, ...]

    @property
    def blocked(self) -> bool:
        return self.decision == BLOCK


def warn_threshold(limit_minor: int, warn_share_bp: int) -> int:
    """The exposure above which a document warns: ``limit × share``, rounded down to a whole minor unit."""
    return limit_minor * warn_share_bp // 10_000


def decide(facts: CreditFacts) -> Decision:
    """Allow, warn or block, with every reason that applies (blocking ones first)."""
    if facts.amount_minor < 0 or facts.increase_minor < 0:
        raise ValueError("a document that raises exposure has a non-negative amount")
    reasons: list[Reason] = [
        Reason("hold", BLOCK, {"hold_id": h.hold_id, "hold_reason": h.reason_code, "note": h.note,
                               "source_ref": h.source_ref})
        for h in facts.holds
    ]
    if not facts.controlled:
        reasons.append(Reason("unrated", WARN))
        return Decision(BLOCK if reasons[0].severity == BLOCK else WARN, tuple(reasons))

    if facts.prepayment_only and facts.amount_minor > facts.prepaid_minor:
        reasons.append(Reason("grade_d", BLOCK, {"grade": facts.grade or "D", "prepaid_minor": facts.prepaid_minor}))
    if facts.overdue_items > 0:
        reasons.append(Reason("overdue", BLOCK, {
            "days": facts.overdue_block_days, "min_minor": facts.overdue_block_min_minor,
            "overdue_minor": facts.overdue_minor, "items": facts.overdue_items,
            "oldest_days": facts.oldest_overdue_days,
        }))
    after = facts.exposure_after_minor
    if facts.limit_minor is not None:
        if facts.increase_minor > 0 and after > facts.limit_minor:
            reasons.append(Reason("limit_exceeded", BLOCK, {
                "limit_minor": facts.limit_minor, "exposure_after_minor": after,
                "excess_minor": after - facts.limit_minor,
            }))
        elif facts.increase_minor > 0 and after > warn_threshold(facts.limit_minor, facts.warn_share_bp):
            reasons.append(Reason("near_limit", WARN, {
                "limit_minor": facts.limit_minor, "exposure_after_minor": after, "share_bp": facts.warn_share_bp,
            }))
    if any(r.severity == BLOCK for r in reasons):
        return Decision(BLOCK, tuple(sorted(reasons, key=lambda r: r.severity != BLOCK)))
    if reasons:
        return Decision(WARN, tuple(reasons))
    return Decision(ALLOW, ())


def available(limit_minor: int | None, exposure_minor: int) -> int | None:
    """What may still be added before the limit is reached (never below zero); None without a limit."""
    if limit_minor is None:
        return None
    return max(0, limit_minor - exposure_minor)
