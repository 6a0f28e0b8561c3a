"""What each role may do with hand-overs (逾期账款交接表) and key accounts; merged into the role groups by
`arms.accounts.roles`.

Finance clerks and managers (the holders of ``customers.assign_owner``) open and cancel hand-overs; everybody who
can be a party to one (sales, collectors, senior collectors) reads them and acknowledges their own side; a finance
manager acknowledges for an outgoing person who has left and routes key accounts to senior collectors. Credit and
finance managers flag key accounts (``customers.set_key_account``). Auditors and executives read.
"""

from arms.accounts.roles import Role

_VIEW = ["handover.view_handover"]
_OPEN = [*_VIEW, "handover.add_handover", "handover.change_handover"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [*_VIEW],
    Role.COLLECTOR: [*_VIEW],
    Role.SENIOR_COLLECTOR: [*_VIEW],
    Role.CREDIT_MANAGER: [*_VIEW, "customers.set_key_account"],
    Role.FINANCE_CLERK: [*_OPEN],
    Role.FINANCE_MANAGER: [*_OPEN, "handover.acknowledge_for_outgoing", "handover.route_key_accounts",
                           "customers.set_key_account"],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [*_VIEW],
}
