"""What each role may do with bank accounts, statements and cash application; merged into the role groups by
`arms.accounts.roles`.

Separation of duties: finance clerks import statements and apply cash; only a finance manager (or an administrator)
maintains the company's bank accounts and the auto-apply settings. Everyone else may look.
"""

from arms.accounts.roles import Role

_VIEW = ["bank.view_bankaccount", "bank.view_bankstatement", "bank.view_statementline", "bank.view_payeralias"]
_CLERK = [*_VIEW, "bank.import_statement", "bank.apply_cash", "bank.delete_payeralias"]
_MANAGER = [
    *_CLERK,
    "bank.add_bankaccount",
    "bank.change_bankaccount",
    "bank.change_cashsettings",
    "bank.view_cashsettings",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [],
    Role.COLLECTOR: [*_VIEW],
    Role.CREDIT_MANAGER: [*_VIEW],
    Role.FINANCE_CLERK: _CLERK,
    Role.FINANCE_MANAGER: _MANAGER,
    Role.LEGAL: [*_VIEW],
    Role.AUDITOR: [*_VIEW, "bank.view_cashsettings"],
    Role.EXECUTIVE: [*_VIEW],
}
