"""What each role may do in legal; merged into the role groups by `arms.accounts.roles`.

Legal manages: reviews lawyer's letter drafts (``dunning.review_lawyer_letter``), sets who issues them, opens and
runs cases, mandates agencies, records debtor assets, asks for and approves settlements up to its limit. A finance
manager approves any settlement (above legal's limit too) and may ask for one. Collectors record asset facts they
find on visits. Finance, credit, the auditor and executives read; sales staff see none of it.
"""

from arms.accounts.roles import Role

_VIEW = ["legal.view_legalcase", "legal.view_hearing", "legal.view_casecost", "legal.view_casedocument",
         "legal.view_agencymandate", "legal.view_settlement", "legal.view_debtorasset", "legal.view_legalsettings"]
_MANAGE = ["legal.add_legalcase", "legal.change_legalcase", "legal.add_hearing", "legal.add_casecost",
           "legal.add_casedocument", "legal.add_agencymandate", "legal.change_agencymandate", "legal.add_debtorasset",
           "legal.add_settlement", "legal.approve_settlement", "legal.manage_legal_settings",
           "dunning.review_lawyer_letter"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.COLLECTOR: [*_VIEW, "legal.add_debtorasset"],
    Role.CREDIT_MANAGER: [*_VIEW],
    Role.FINANCE_CLERK: [*_VIEW],
    Role.FINANCE_MANAGER: [*_VIEW, "legal.add_settlement", "legal.approve_settlement",
                           "legal.approve_large_settlement"],
    Role.LEGAL: [*_VIEW, *_MANAGE],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [*_VIEW],
}
