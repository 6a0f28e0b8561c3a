"""Error codes the ledger answers with; API clients can branch on ``code``."""

from arms.common.errors import Conflict, ValidationFailed


class OverAllocation(Conflict):
    code = "over_allocation"


class CurrencyMismatch(ValidationFailed):
    code = "currency_mismatch"


class AlreadyReversed(Conflict):
    code = "already_reversed"


class DuplicateNumber(Conflict):
    code = "duplicate_number"


class MissingExchangeRate(ValidationFailed):
    code = "missing_exchange_rate"
