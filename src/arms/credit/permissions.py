"""What each role may do in credit management; merged into the role groups by `arms.accounts.roles`."""

from arms.accounts.roles import Role

_VIEW = [
    "credit.view_creditprofile",
    "credit.view_financialstatement",
    "credit.view_rating",
    "credit.view_ratingproposal",
    "credit.view_limitchangerequest",
    "credit.view_scorecardversion",
    "credit.view_gradepolicy",
    "credit.view_guarantee",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [*_VIEW, "credit.add_limitchangerequest"],
    Role.COLLECTOR: [*_VIEW],
    Role.CREDIT_MANAGER: [
        *_VIEW,
        "credit.change_creditprofile",
        "credit.add_financialstatement",
        "credit.change_financialstatement",
        "credit.rate_customer",
        "credit.decide_ratingproposal",
        "credit.add_limitchangerequest",
        "credit.approve_limitchange",
        "credit.add_scorecardversion",
        "credit.change_gradepolicy",
        "credit.add_guarantee",
        "credit.change_guarantee",
    ],
    Role.FINANCE_CLERK: [*_VIEW],
    Role.FINANCE_MANAGER: [*_VIEW, "credit.add_limitchangerequest", "credit.approve_limitchange_large",
                           "credit.add_guarantee", "credit.change_guarantee"],
    Role.LEGAL: [*_VIEW],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [*_VIEW],
}
