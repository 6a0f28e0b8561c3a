"""Every write of credit management (see the modules for the rules each one keeps)."""

from arms.credit.services.guarantees import guarantee_record, guarantee_release, guarantees_expiry_run
from arms.credit.services.limits import (
    limit_request_approve,
    limit_request_cancel,
    limit_request_create,
    limit_request_reject,
)
from arms.credit.services.profiles import credit_file_update, credit_profile_ensure, financial_statement_save
from arms.credit.services.ratings import (
    customers_due_for_review,
    proposal_accept,
    proposal_reject,
    rating_recompute,
    rating_run,
    rating_run_due,
    ratings_run,
)
from arms.credit.services.scorecards import (
    grade_policies,
    grade_policy_update,
    scorecard_active,
    scorecard_version_create,
)

__all__ = [
    "credit_file_update",
    "credit_profile_ensure",
    "customers_due_for_review",
    "financial_statement_save",
    "grade_policies",
    "grade_policy_update",
    "guarantee_record",
    "guarantee_release",
    "guarantees_expiry_run",
    "limit_request_approve",
    "limit_request_cancel",
    "limit_request_create",
    "limit_request_reject",
    "proposal_accept",
    "proposal_reject",
    "rating_recompute",
    "rating_run",
    "rating_run_due",
    "ratings_run",
    "scorecard_active",
    "scorecard_version_create",
]
