"""Error codes collection cases answer with; API clients can branch on ``code``."""

from arms.common.errors import Conflict, ErrorCode, EvidenceImmutable

#: the evidence guard lives in arms.common with the attachment storage; cases keeps its name for it
ActivityImmutable = EvidenceImmutable


class AlreadyClosed(Conflict):
    code = ErrorCode.ALREADY_CLOSED


class DisputeOpen(Conflict):
    code = ErrorCode.DISPUTE_OPEN
