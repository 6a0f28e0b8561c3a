"""Error codes the ledger answers with; API clients can branch on ``code``."""

from arms.common.errors import ArmsError, Conflict, ErrorCode, ValidationFailed


class OverAllocation(Conflict):
    code = ErrorCode.OVER_ALLOCATION


class CurrencyMismatch(ValidationFailed):
    code = ErrorCode.CURRENCY_MISMATCH


class AlreadyReversed(Conflict):
    code = ErrorCode.ALREADY_REVERSED


class DiscountGranted(Conflict):
    """The invoice was settled with an early-payment discount credit note; the money that earned it stays."""

    code = ErrorCode.DISCOUNT_GRANTED


class DuplicateNumber(Conflict):
    code = ErrorCode.DUPLICATE_NUMBER


class MissingExchangeRate(ValidationFailed):
    code = ErrorCode.MISSING_EXCHANGE_RATE


class InvoiceCancelled(Conflict):
    """The invoice is wholly credited (cancelled by credit notes): there is nothing to deliver any more."""

    code = ErrorCode.INVOICE_CANCELLED


class MailNotSent(ArmsError):
    """The mail server refused or could not be reached: nothing was recorded as delivered."""

    status = 503
    code = ErrorCode.UNAVAILABLE
