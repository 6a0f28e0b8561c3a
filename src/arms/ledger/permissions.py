"""What each role may do with the four-eyes approvals of manual cash application; merged into the role groups by
`arms.accounts.roles`.

Clerks ask (their manual allocation, reversal, credit note or invoice above the company's amount waits); a finance
manager (or an administrator) approves or rejects — never their own request — and sets the amount. The auditor reads.
Invoice deliveries and receipts are recorded by sales, collectors and the finance team; every role reads them.
"""

from arms.accounts.roles import Role

_VIEW = ["ledger.view_ledgerapproval", "ledger.view_ledgersettings"]
#: invoice delivery proof: everyone who sees invoices sees how they were delivered; those who deliver them
#: (sales by hand, collectors, the finance team) record deliveries and receipts
_SEE_DELIVERY = ["ledger.view_invoicedelivery"]
_RECORD_DELIVERY = [*_SEE_DELIVERY, "ledger.add_invoicedelivery"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [*_RECORD_DELIVERY],
    Role.COLLECTOR: [*_RECORD_DELIVERY],
    Role.CREDIT_MANAGER: [*_SEE_DELIVERY],
    Role.FINANCE_CLERK: [*_VIEW, *_RECORD_DELIVERY],
    Role.FINANCE_MANAGER: [*_VIEW, "ledger.approve_ledgerapproval", "ledger.change_ledgersettings",
                           *_RECORD_DELIVERY],
    Role.LEGAL: [*_SEE_DELIVERY],
    Role.AUDITOR: [*_VIEW, *_SEE_DELIVERY],
    Role.EXECUTIVE: [*_SEE_DELIVERY],
}
