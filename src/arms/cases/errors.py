"""Error codes collection cases answer with; API clients can branch on ``code``."""

from arms.common.errors import Conflict, ErrorCode


class ActivityImmutable(Conflict):
    code = ErrorCode.ACTIVITY_IMMUTABLE


class AlreadyClosed(Conflict):
    code = ErrorCode.ALREADY_CLOSED


class DisputeOpen(Conflict):
    code = ErrorCode.DISPUTE_OPEN
