"""What each role may do with the monthly sales–finance reconciliation; merged into the role groups by
`arms.accounts.roles`.

Finance (clerk and manager) opens a month, resolves differences and signs off; a salesperson answers their own
(the selectors show them only theirs); the auditor and executives read.
"""

from arms.accounts.roles import Role

_VIEW = ["salesrecon.view_salesreconciliation", "salesrecon.view_reconciliationdifference"]
_FINANCE = [*_VIEW, "salesrecon.open_salesreconciliation", "salesrecon.sign_off_salesreconciliation"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [*_VIEW, "salesrecon.answer_salesreconciliation"],
    Role.COLLECTOR: [],
    Role.CREDIT_MANAGER: [*_VIEW],
    Role.FINANCE_CLERK: _FINANCE,
    Role.FINANCE_MANAGER: _FINANCE,
    Role.LEGAL: [],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [*_VIEW],
}
