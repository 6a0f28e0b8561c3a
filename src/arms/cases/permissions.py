"""What each role may do in collection cases; merged into the role groups by `arms.accounts.roles`.

Everyone who works customers records contacts and tasks; promises are taken by whoever speaks to the
customer; installment plans are requested by collectors and finance and approved only by a finance manager
(never by the requester, checked in the service); disputes are raised by anyone in contact and resolved by
finance; the evidence bundle for an agency or a lawyer is for finance managers, credit managers and legal.
The auditor and executives read everything and change nothing.
"""

from arms.accounts.roles import Role

_VIEW = [
    "cases.view_activity",
    "cases.view_task",
    "cases.view_promisetopay",
    "cases.view_installmentplan",
    "cases.view_dispute",
]
_WORK = [*_VIEW, "cases.add_activity", "cases.add_task", "cases.change_task"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [*_WORK, "cases.add_promisetopay", "cases.add_dispute"],
    Role.COLLECTOR: [*_WORK, "cases.add_promisetopay", "cases.change_promisetopay", "cases.add_installmentplan",
                     "cases.add_dispute"],
    Role.CREDIT_MANAGER: [*_WORK, "cases.add_promisetopay", "cases.add_dispute", "cases.export_bundle"],
    Role.FINANCE_CLERK: [*_WORK, "cases.add_promisetopay", "cases.change_promisetopay", "cases.add_installmentplan",
                         "cases.add_dispute", "cases.change_dispute"],
    Role.FINANCE_MANAGER: [*_WORK, "cases.add_promisetopay", "cases.change_promisetopay",
                           "cases.add_installmentplan", "cases.change_installmentplan",
                           "cases.approve_installmentplan", "cases.add_dispute", "cases.change_dispute",
                           "cases.export_bundle"],
    Role.LEGAL: [*_WORK, "cases.export_bundle"],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [*_VIEW],
}
