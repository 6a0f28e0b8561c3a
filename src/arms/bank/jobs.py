"""Background jobs of the bank app (arms.common.jobs); registered in BankConfig.ready."""

from __future__ import annotations


def register_jobs() -> None:
    pass
