"""The credit check's rules: given a customer's exposure, limit, grade, overdue items and holds, decide whether a
document that raises exposure may go ahead (allow), goes ahead with a warning (warn) or is refused (block).

Plain Python on ints (minor units of the limit's currency), so the rules are tested in milliseconds. The
service (``arms.exposure.services.credit_check``) gathers the facts on the locked customer row and turns the
reasons into translated messages.

Rules, in the order they are reported:

1. ``hold``: every active credit hold (manual, limit, overdue, grade D, dunning stop-supply) blocks, whether
   or not the customer is under credit control: a hold is a person's (or the dunning ladder's) explicit stop.
2. A customer without a credit limit and not prepayment-only is not under credit control: the company's unrated
   policy decides (``unrated_policy``): ``warn`` (``unrated`` warns, the document goes ahead), ``limit`` (the
   default: ``unrated`` warns while exposure after the document stays within ``unrated_limit_minor``, else
   ``unrated_limit`` blocks) or ``block`` (``unrated_blocked``). The limit, grade and overdue rules below do not
   apply to it; the deposit rule does.
3. ``grade_d``: a prepayment-only customer (grade D) is blocked unless prepaid cash covers the document.
4. ``overdue``: an item overdue ``overdue_block_days`` days or more blocks, unless its open amount is below
   ``overdue_block_min_minor`` (a rounding leftover of a few fen must not stop supply). The service counts
   the items that qualify (``overdue_items``); the rule reports them.
5. ``limit_exceeded``: exposure plus what the document adds above the limit blocks.
6. ``near_limit``: exposure plus what the document adds above ``warn_share_bp`` of the limit warns.
7. ``terms_exceeded``: a rated customer's document asks for longer payment terms (``terms_days``) than its grade
   allows (``terms_allowed_days``, the credit profile's terms).
8. ``guarantee_missing``: the credit profile requires a guarantee and the register holds no active one in force.
9. ``deposit_missing``: the first invoice on a contract, while the deposits received for it are less than the
   deposit share of the contract amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALLOW = "allow"
WARN = "warn"
BLOCK = "block"

#: warn when a document takes exposure above this share of the limit, in basis points (90%).
DEFAULT_WARN_SHARE_BP = 9000

#: the unrated policies: refuse every document that adds exposure; allow up to a small default limit; warn only
UNRATED_BLOCK = "block"
UNRATED_LIMIT = "limit"
UNRATED_WARN = "warn"
UNRATED_POLICIES = (UNRATED_BLOCK, UNRATED_LIMIT, UNRATED_WARN)
#: the default limit of an unrated customer under the ``limit`` policy: CNY 50,000.00
DEFAULT_UNRATED_LIMIT_MINOR = 50_000_00


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
    unrated_policy: str = UNRATED_WARN
    unrated_limit_minor: int = DEFAULT_UNRATED_LIMIT_MINOR
    terms_days: int | None = None
    terms_allowed_days: int | None = None
    guarantee_required: bool = False
    guarantee_held: bool = True
    deposit_required_minor: int = 0
    deposit_received_minor: int = 0
    deposit_currency: str = ""

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
        reasons.extend(_unrated_reasons(facts))
    else:
        reasons.extend(_controlled_reasons(facts))
    if facts.terms_days is not None and facts.terms_allowed_days is not None \
            and facts.terms_days > facts.terms_allowed_days:
        reasons.append(Reason("terms_exceeded", BLOCK, {
            "terms_days": facts.terms_days, "allowed_days": facts.terms_allowed_days, "grade": facts.grade}))
    if facts.guarantee_required and not facts.guarantee_held and facts.increase_minor > 0:
        reasons.append(Reason("guarantee_missing", BLOCK, {"grade": facts.grade}))
    if facts.deposit_received_minor < facts.deposit_required_minor:
        reasons.append(Reason("deposit_missing", BLOCK, {
            "required_minor": facts.deposit_required_minor, "received_minor": facts.deposit_received_minor,
            "missing_minor": facts.deposit_required_minor - facts.deposit_received_minor,
            "deposit_currency": facts.deposit_currency}))
    if any(r.severity == BLOCK for r in reasons):
        return Decision(BLOCK, tuple(sorted(reasons, key=lambda r: r.severity != BLOCK)))
    if reasons:
        return Decision(WARN, tuple(reasons))
    return Decision(ALLOW, ())


def _unrated_reasons(facts: CreditFacts) -> list[Reason]:
    """A customer not under credit control, by the company's unrated policy."""
    after = facts.exposure_after_minor
    if facts.unrated_policy == UNRATED_BLOCK and facts.increase_minor > 0:
        return [Reason("unrated_blocked", BLOCK)]
    if facts.unrated_policy == UNRATED_LIMIT and facts.increase_minor > 0 and after > facts.unrated_limit_minor:
        return [Reason("unrated_limit", BLOCK, {
            "limit_minor": facts.unrated_limit_minor, "exposure_after_minor": after,
            "excess_minor": after - facts.unrated_limit_minor})]
    if facts.unrated_policy == UNRATED_LIMIT:
        return [Reason("unrated", WARN, {"limit_minor": facts.unrated_limit_minor})]
    return [Reason("unrated", WARN)]


def _controlled_reasons(facts: CreditFacts) -> list[Reason]:
    reasons: list[Reason] = []
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
    return reasons


def available(limit_minor: int | None, exposure_minor: int) -> int | None:
    """What may still be added before the limit is reached (never below zero); None without a limit."""
    if limit_minor is None:
        return None
    return max(0, limit_minor - exposure_minor)
