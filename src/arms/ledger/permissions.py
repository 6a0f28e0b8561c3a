"""What each role may do with the four-eyes approvals of manual cash application; merged into the role groups by
`arms.accounts.roles`.

Clerks ask (their manual allocation, reversal, credit note or invoice above the company's amount waits); a finance
manager (or an administrator) approves or rejects — never their own request — and sets the amount. The auditor reads.
"""

from arms.accounts.roles import Role

_VIEW = ["ledger.view_ledgerapproval", "ledger.view_ledgersettings"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [],
    Role.COLLECTOR: [],
    Role.CREDIT_MANAGER: [],
    Role.FINANCE_CLERK: [*_VIEW],
    Role.FINANCE_MANAGER: [*_VIEW, "ledger.approve_ledgerapproval", "ledger.change_ledgersettings"],
    Role.LEGAL: [],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [],
}
