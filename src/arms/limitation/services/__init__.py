"""Every write of limitation periods. The published interface (Interface B of issue 14):

    arms.limitation.services.interruption_record(*, actor, invoices, kind, on, source="", note="", evidence=None)
        -> list[LimitationInterruption]
"""

from arms.limitation.services.clocks import clocks_recompute
from arms.limitation.services.interruptions import interruption_record
from arms.limitation.services.settings import limitation_settings_for, limitation_settings_update

__all__ = ["clocks_recompute", "interruption_record", "limitation_settings_for", "limitation_settings_update"]
