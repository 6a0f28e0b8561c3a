"""What each role may do with incentives (奖惩); merged into the role groups by `arms.accounts.roles`.

A finance manager keeps the schemes, computes and approves the payout sheets (never one they computed or last
edited). Salespeople, collectors and finance clerks read the schemes and enter the mutual ratings of their
counterparts (the service checks who may rate whom); executives and auditors read.
"""

from arms.accounts.roles import Role

_VIEW = ["incentives.view_incentivescheme", "incentives.view_payoutline", "incentives.view_incentiverating"]
_RATE = ["incentives.add_incentiverating"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.FINANCE_MANAGER: [*_VIEW, *_RATE, "incentives.add_incentivescheme", "incentives.change_incentivescheme",
                           "incentives.compute_incentivescheme", "incentives.approve_incentivescheme"],
    Role.FINANCE_CLERK: [*_VIEW, *_RATE],
    Role.SALES: [*_VIEW, *_RATE],
    Role.COLLECTOR: [*_VIEW, *_RATE],
    Role.EXECUTIVE: [*_VIEW],
    Role.AUDITOR: [*_VIEW],
}
