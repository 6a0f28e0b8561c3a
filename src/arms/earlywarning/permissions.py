"""What each role may do with early warning; merged into the role groups by `arms.accounts.roles`.

Finance managers manage the indicators and acknowledge any warning; credit managers acknowledge risk signals and
the warnings their role is responsible for; collectors and salespeople see the warnings of their customers (the
selectors narrow salespeople to their own) and raise risk signals from the field; auditors and executives read.
Whoever holds ``acknowledge_warning`` acknowledges only the warnings of indicators whose responsible role they
have (finance managers: all).
"""

from arms.accounts.roles import Role

_VIEW = ["earlywarning.view_warning", "earlywarning.view_indicator", "earlywarning.view_risksignal"]
_SIGNAL = [*_VIEW, "earlywarning.add_risksignal"]
_ACK = ["earlywarning.acknowledge_warning"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [*_SIGNAL, *_ACK],
    Role.COLLECTOR: [*_SIGNAL, *_ACK],
    Role.CREDIT_MANAGER: [*_SIGNAL, *_ACK, "earlywarning.acknowledge_risksignal"],
    Role.FINANCE_CLERK: [*_VIEW, *_ACK],
    Role.FINANCE_MANAGER: [*_SIGNAL, *_ACK, "earlywarning.add_indicator", "earlywarning.change_indicator"],
    Role.LEGAL: [*_VIEW, *_ACK],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [*_VIEW],
}
