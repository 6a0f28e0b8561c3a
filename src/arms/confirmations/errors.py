"""Error codes balance confirmations answer with; API clients can branch on ``code``."""

from arms.common.errors import Conflict, ErrorCode


class ConfirmationAnswered(Conflict):
    """The confirmation already has the customer's answer; a second one is refused."""

    code = ErrorCode.CONFIRMATION_ANSWERED


class ConfirmationNotOpen(Conflict):
    """The confirmation was superseded by a later period's, or is answered: it cannot be sent or changed."""

    code = ErrorCode.CONFIRMATION_NOT_OPEN


class DifferenceResolved(Conflict):
    """The difference was already resolved."""

    code = ErrorCode.DIFFERENCE_RESOLVED
