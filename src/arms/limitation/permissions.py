"""What each role may do with limitation periods; merged into the role groups by `arms.accounts.roles`.

Legal and collectors record interruptions with their evidence; legal and the finance manager change the period
and the alert days; finance, credit, audit and executives read. Salespeople do not see the limitation pages.
"""

from arms.accounts.roles import Role

_VIEW = ["limitation.view_limitationclock", "limitation.view_limitationinterruption"]
_RECORD = [*_VIEW, "limitation.add_limitationinterruption"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.COLLECTOR: _RECORD,
    Role.CREDIT_MANAGER: [*_VIEW],
    Role.FINANCE_CLERK: [*_VIEW],
    Role.FINANCE_MANAGER: [*_VIEW, "limitation.change_limitationsettings"],
    Role.LEGAL: [*_RECORD, "limitation.change_limitationsettings"],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [*_VIEW],
}
