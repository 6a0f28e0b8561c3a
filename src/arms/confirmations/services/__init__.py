"""Every write of balance confirmations. The published interface (for the portal and reports):

    arms.confirmations.services.confirmation_reply(*, confirmation, actor, answer, channel, differences=(),
        note="", scan=None, contact=None) -> Confirmation
"""

from arms.confirmations.services.differences import difference_resolve
from arms.confirmations.services.dispatch import (
    confirmation_delivery_record,
    confirmation_post_record,
    confirmation_send,
    run_send,
)
from arms.confirmations.services.reminders import confirmations_remind
from arms.confirmations.services.replies import confirmation_reply
from arms.confirmations.services.runs import confirmation_run_start, run_prepare
from arms.confirmations.services.settings import confirmation_settings_for, confirmation_settings_update

__all__ = ["confirmation_delivery_record", "confirmation_post_record", "confirmation_reply",
           "confirmation_run_start", "confirmation_send", "confirmation_settings_for",
           "confirmation_settings_update", "confirmations_remind", "difference_resolve", "run_prepare", "run_send"]
