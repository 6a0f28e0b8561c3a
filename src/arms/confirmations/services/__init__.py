"""Every write of balance confirmations. The published interface (for the portal and reports):

    arms.confirmations.services.confirmation_reply(*, confirmation, actor, answer, channel, differences=(),
        note="", scan=None, contact=None) -> Confirmation
"""

from arms.confirmations.services.replies import confirmation_reply

__all__ = ["confirmation_reply"]
