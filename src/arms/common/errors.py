"""ArmsError: a refusal users and API clients can act on.

Every service raises an ``ArmsError`` subclass with a stable ``code`` (for programs), a translated
``message`` (for people) and, where one input is at fault, the ``field`` that names it. The API maps
them to 4xx JSON; the web UI shows the message beside the field; the CLI prints it and exits non-zero.
"""

from __future__ import annotations

from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from arms.domain.money import MoneyError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from arms.common.typing import StrOrPromise


class ErrorCode(StrEnum):
    """Every ``code`` an error body can carry: the catalogue (docs/api.md lists each with its status and meaning;
    tests/api/test_error_catalogue.py keeps the two in step and finds no code spelt out anywhere else)."""

    # any app
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    FORBIDDEN = "forbidden"
    UNAUTHENTICATED = "unauthenticated"
    UNKNOWN_PARAMETER = "unknown_parameter"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"
    ERROR = "error"
    THROTTLED = "throttled"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    FOUR_EYES = "four_eyes"
    PDF_UNAVAILABLE = "pdf_unavailable"
    # background jobs
    JOB_BUSY = "job_busy"
    UNKNOWN_KIND = "unknown_kind"
    NO_FILE = "no_file"
    INTERRUPTED = "interrupted"
    NOT_STARTED = "not_started"
    # customers, contracts, ledger
    DUPLICATE_CODE = "duplicate_code"
    DUPLICATE_USCC = "duplicate_uscc"
    DUPLICATE_NUMBER = "duplicate_number"
    OVER_ALLOCATION = "over_allocation"
    ALREADY_REVERSED = "already_reversed"
    CURRENCY_MISMATCH = "currency_mismatch"
    MISSING_EXCHANGE_RATE = "missing_exchange_rate"
    # imports
    IMPORT_UNREADABLE = "import_unreadable"
    IMPORT_TOO_LARGE = "import_too_large"
    FILE_TOO_LARGE = "file_too_large"
    OWNER_CHANGE_NOT_ALLOWED = "owner_change_not_allowed"
    IMPORT_INVALID = "import_invalid"
    # credit
    LIMIT_REQUEST_NOT_PENDING = "limit_request_not_pending"
    LIMIT_REQUEST_PENDING = "limit_request_pending"
    ALREADY_APPROVED = "already_approved"
    CANNOT_APPROVE = "cannot_approve"
    NOT_REQUESTER = "not_requester"
    PROPOSAL_NOT_PENDING = "proposal_not_pending"
    # exposure
    CREDIT_BLOCKED = "credit_blocked"
    HOLD_NOT_ACTIVE = "hold_not_active"
    OVERRIDE_ALREADY_DECIDED = "override_already_decided"
    # collections
    EXCEEDS_OPEN_AMOUNT = "exceeds_open_amount"
    PROMISE_OPEN = "promise_open"
    PLAN_OPEN = "plan_open"
    ACTIVITY_IMMUTABLE = "activity_immutable"
    ALREADY_CLOSED = "already_closed"
    DISPUTE_OPEN = "dispute_open"
    # dunning
    STAGE_IN_USE = "stage_in_use"
    LADDER_DUPLICATE_OFFSET = "ladder_duplicate_offset"
    LADDER_DUPLICATE_CODE = "ladder_duplicate_code"
    LADDER_LEVEL_STEPS_DOWN = "ladder_level_steps_down"
    LADDER_UNKNOWN_LEVEL = "ladder_unknown_level"
    ALREADY_EXCLUDED = "already_excluded"
    ALREADY_LIFTED = "already_lifted"
    NO_DOCUMENT = "no_document"
    ALREADY_SENT = "already_sent"
    NO_ADDRESS = "no_address"
    # analytics, reports
    BUDGET_EXISTS = "budget_exists"
    NOT_GENERATED = "not_generated"
    # bank statements (import)
    STATEMENT_UNREADABLE = "statement_unreadable"
    STATEMENT_ACCOUNT_UNKNOWN = "statement_account_unknown"
    STATEMENT_ACCOUNT_MISMATCH = "statement_account_mismatch"
    BANK_ACCOUNT_DUPLICATE = "bank_account_duplicate"
    # cash application (matching, applying, learning)
    LINE_ALREADY_APPLIED = "line_already_applied"
    LINE_NOT_APPLIED = "line_not_applied"
    LINE_NOT_RECEIPT = "line_not_receipt"
    NO_SUGGESTION = "no_suggestion"
    SHARES_DO_NOT_FIT = "shares_do_not_fit"
    # cash workbench (review, remittance advice, reconciliation)
    REMITTANCE_UNREADABLE = "remittance_unreadable"
    REMITTANCE_BAD_ROW = "remittance_bad_row"
    REMITTANCE_UNKNOWN_INVOICE = "remittance_unknown_invoice"
    REMITTANCE_FOREIGN_INVOICE = "remittance_foreign_invoice"
    # manual cash application and documents from the UI
    APPROVAL_NOT_PENDING = "approval_not_pending"
    NEEDS_APPROVAL = "needs_approval"
    CLAIMED_BY_PENDING_APPROVAL = "claimed_by_pending_approval"
    # invoice delivery proof
    INVOICE_CANCELLED = "invoice_cancelled"
    # balance confirmations (对账确认函)
    CONFIRMATION_ANSWERED = "confirmation_answered"
    CONFIRMATION_NOT_OPEN = "confirmation_not_open"
    DIFFERENCE_RESOLVED = "difference_resolved"
    # customer portal
    ALREADY_REVOKED = "already_revoked"
    # small balances (bulk write-off of residues)
    NOT_A_RESIDUE = "not_a_residue"
    # bad-debt provisioning (坏账准备)
    PROVISION_PERIOD_POSTED = "provision_period_posted"
    # legal (lawyer's letter review, cases, settlements)
    LETTER_NOT_AWAITING_REVIEW = "letter_not_awaiting_review"
    CASE_STATUS_NOT_ALLOWED = "case_status_not_allowed"
    SETTLEMENT_NOT_PENDING = "settlement_not_pending"
    # early warning (预警)
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    # contract review (合同评审) and signing
    CONTRACT_STATUS = "contract_status"
    STEP_NOT_NEXT = "step_not_next"
    # credit terms in force: the guarantees register (issue 16, h1)
    GUARANTEE_NOT_ACTIVE = "guarantee_not_active"
    # early-payment discounts (现金折扣)
    DISCOUNT_GRANTED = "discount_granted"
    # collection plans (收款计划)
    COLLECTION_PLAN_NOT_DRAFT = "collection_plan_not_draft"
    COLLECTION_PLAN_NOT_SUBMITTED = "collection_plan_not_submitted"
    COLLECTION_PLAN_NOT_OPEN = "collection_plan_not_open"
    COLLECTION_PLAN_EXISTS = "collection_plan_exists"
    # hand-over (逾期账款交接表) and key accounts
    KEY_ACCOUNT_NEEDS_SENIOR = "key_account_needs_senior"
    HANDOVER_NOT_OPEN = "handover_not_open"
    CUSTOMER_IN_OPEN_HANDOVER = "customer_in_open_handover"
    # incentives (奖惩)
    INCENTIVE_SCHEME_LOCKED = "incentive_scheme_locked"
    INCENTIVE_NOT_COMPUTED = "incentive_not_computed"


class ArmsError(Exception):
    status = 400
    code = ErrorCode.INVALID

    def __init__(self, message: StrOrPromise, *, field: str | None = None, code: str | None = None, **details):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        if code:
            self.code = code
        self.details = details

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class ValidationFailed(ArmsError):
    status = 422
    code = ErrorCode.INVALID


class NotFound(ArmsError):
    status = 404
    code = ErrorCode.NOT_FOUND


class Conflict(ArmsError):
    """The request is well-formed but the current state refuses it (over-allocation, already reversed ...)."""

    status = 409
    code = ErrorCode.CONFLICT


class EvidenceImmutable(Conflict):
    """Evidence (a recorded activity, a stored attachment, a delivery record) is never changed or deleted."""

    code = ErrorCode.ACTIVITY_IMMUTABLE


class Forbidden(ArmsError):
    status = 403
    code = ErrorCode.FORBIDDEN


def money_message(error) -> str:
    """A domain ``MoneyError`` (an amount or currency that cannot be understood) as a sentence in the active
    language, for every edge that parses what a person typed: forms, imports, the services' field errors."""
    texts = {
        MoneyError.CURRENCY: _("'%(currency)s' is not a three-letter ISO 4217 currency code"),
        MoneyError.EMPTY: _("amount is empty"),
        MoneyError.NOT_AMOUNT: _("'%(text)s' is not an amount like 1,234.56"),
        MoneyError.NOT_FINITE: _("'%(text)s' is not a finite number"),
        MoneyError.DECIMALS: _("'%(text)s' has more than %(places)s decimal places for %(currency)s"),
    }
    text = texts.get(error.code)
    return text % error.params if text else str(error)


@contextmanager
def refused_at(index: int | None = None, *, within: str | None = None) -> Iterator[None]:
    """A refusal raised inside names the input of a many-at-once call it refused: ``details["index"]`` (``index``,
    unless a call inside named it already), and with ``within`` (the list's name in the request) its field too:
    ``tracking_no`` of item 3 becomes ``deliveries[3].tracking_no``."""
    try:
        yield
    except ArmsError as exc:
        if index is not None:
            exc.details.setdefault("index", index)
        at = exc.details.get("index")
        if within is not None and at is not None:
            exc.field = f"{within}[{at}].{exc.field}" if exc.field else f"{within}[{at}]"
        raise
