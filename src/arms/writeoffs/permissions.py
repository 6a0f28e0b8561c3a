"""What each role may do with write-off requests; merged into the role groups by `arms.accounts.roles`.

Collectors, finance and legal ask; the finance manager signs for finance, legal for legal, the auditor for audit
(the one thing an auditor signs: the issue's three-party sign-off), an executive above the company's amount.
Finance records the tax filing; the finance manager sets the executive amount.
"""

from arms.accounts.roles import Role

_VIEW = ["writeoffs.view_writeoffrequest", "ledger.view_writeoff"]
_ASK = [*_VIEW, "writeoffs.add_writeoffrequest"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [],
    Role.COLLECTOR: _ASK,
    Role.CREDIT_MANAGER: _VIEW,
    Role.FINANCE_CLERK: [*_ASK, "writeoffs.file_tax_writeoffrequest"],
    Role.FINANCE_MANAGER: [*_ASK, "writeoffs.sign_finance_writeoffrequest", "writeoffs.file_tax_writeoffrequest",
                           "writeoffs.change_writeoffsettings"],
    Role.LEGAL: [*_ASK, "writeoffs.sign_legal_writeoffrequest"],
    Role.AUDITOR: [*_VIEW, "writeoffs.sign_audit_writeoffrequest"],
    Role.EXECUTIVE: [*_VIEW, "writeoffs.sign_executive_writeoffrequest"],
}
