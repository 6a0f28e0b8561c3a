"""Credit management: credit files, scorecards, ratings, grade policies, limit changes.

Design overview and invariants (the starred ones also hold in the database):

- A customer has at most one ``CreditProfile`` (*one-to-one). It holds what credit control acts on: the grade,
  the score, the credit limit in its currency (null = no limit set: the customer is not under credit control),
  payment terms, deposit, prepayment-only, and the facts the scorecard reads (registration, external flags).
  *grade is A-D or blank (not rated); *score is 0-100 or null; *limit >= 0; *deposit 0-100%.
- A ``ScorecardVersion`` is data: factors in groups, bands, thresholds, hard overrides (JSON, evaluated by the
  pure ``arms.domain.scorecard``). Editing a scorecard makes a new version; *exactly one is active. Old ratings
  keep theirs, so any rating can be recomputed exactly from what it stored.
- A ``Rating`` is immutable: inputs, missing inputs, per-factor contributions, overrides, score, grade, the
  scorecard version, who, when, why. Each rating makes a ``RatingProposal`` (grade, limit and terms from the
  ``GradePolicy`` of the grade); *at most one proposal per customer is pending, a newer rating supersedes it.
  Only accepting a proposal changes the profile (audited).
- A ``LimitChangeRequest`` is maker-checker: *the requester never approves it; above the threshold
  (``ARMS_CREDIT_LIMIT_FM_THRESHOLD``) a finance manager approves too; *one pending request per customer.
- A ``Guarantee`` (担保登记) is one guarantee held for a customer: *amount > 0, *expiry on or after the start,
  *a released one has its time. The profile's ``guarantees_held_minor`` is derived from the register (the sum
  in CNY of the guarantees in force), never typed in.
"""

from arms.credit.models.guarantee import Guarantee, GuaranteeStatus
from arms.credit.models.limits import LimitChangeRequest
from arms.credit.models.profile import CreditProfile, FinancialStatement
from arms.credit.models.rating import Rating, RatingProposal
from arms.credit.models.scorecard import GradePolicy, ScorecardVersion

__all__ = [
    "CreditProfile",
    "FinancialStatement",
    "GradePolicy",
    "Guarantee",
    "GuaranteeStatus",
    "LimitChangeRequest",
    "Rating",
    "RatingProposal",
    "ScorecardVersion",
]
