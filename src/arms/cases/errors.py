"""Error codes collection cases answer with; API clients can branch on ``code``."""

from arms.common.errors import Conflict


class ActivityImmutable(Conflict):
    code = "activity_immutable"


class AlreadyClosed(Conflict):
    code = "already_closed"


class DisputeOpen(Conflict):
    code = "dispute_open"
