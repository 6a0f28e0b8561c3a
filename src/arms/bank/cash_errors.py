"""Error codes cash application answers with (matching, applying, learning); API clients can branch on ``code``."""

from arms.common.errors import Conflict, ErrorCode, ValidationFailed


class LineAlreadyApplied(Conflict):
    """The line was applied (automatically or by a clerk) or set aside; reset it first."""

    code = ErrorCode.LINE_ALREADY_APPLIED


class LineNotApplied(Conflict):
    """Reset asked for a line that nothing was applied to and nothing set aside."""

    code = ErrorCode.LINE_NOT_APPLIED


class LineNotReceipt(ValidationFailed):
    """Money out (or a zero line) cannot be applied to a customer."""

    code = ErrorCode.LINE_NOT_RECEIPT


class NoSuggestion(Conflict):
    """Accept asked for a line the matcher has no customer and items for."""

    code = ErrorCode.NO_SUGGESTION


class SharesDoNotFit(ValidationFailed):
    """The shares of a clerk's decision take more than the line brought, or name nobody."""

    code = ErrorCode.SHARES_DO_NOT_FIT
