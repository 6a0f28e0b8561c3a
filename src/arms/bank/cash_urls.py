"""Web pages of cash application (the clerk's workbench), mounted at /cash/."""

from django.urls import path

from arms.bank import cash_views as views

app_name = "cash"
urlpatterns = [
    path("", views.line_list, name="lines"),
    path("review/", views.review_next, name="review_next"),
    path("lines/<int:line_id>/", views.line_review, name="review"),
    path("lines/<int:line_id>/customers/", views.customer_search, name="customer_search"),
    path("lines/<int:line_id>/share/", views.share_block, name="share"),
    path("lines/<int:line_id>/accept/", views.line_accept, name="accept"),
    path("lines/<int:line_id>/ignore/", views.line_ignore, name="ignore"),
    path("lines/<int:line_id>/apply/", views.line_apply, name="apply"),
    path("lines/<int:line_id>/remittance/", views.line_remittance, name="remittance"),
    path("lines/<int:line_id>/reset/", views.line_reset, name="reset"),
    path("aliases/", views.alias_list, name="aliases"),
    path("aliases/<int:alias_id>/remove/", views.alias_remove, name="alias_remove"),
    path("unapplied/", views.unapplied_list, name="unapplied"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
]
