"""/portal/: the customer portal (a contact of one customer, entered with a link; docs/portal.md)."""

from django.urls import path

from arms.portal import views

app_name = "portal"

urlpatterns = [
    path("enter/<str:token>/", views.enter, name="enter"),
    path("", views.home, name="home"),
    path("logout/", views.logout, name="logout"),
    path("login/", views.login, name="login"),
    path("password/", views.password, name="password"),
    path("language/", views.language, name="language"),
    path("statement/", views.statement, name="statement"),
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:invoice_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:invoice_id>/receipt/", views.invoice_receipt, name="invoice_receipt"),
    path("confirmations/", views.confirmation_list, name="confirmations"),
    path("confirmations/<int:confirmation_id>/", views.confirmation_detail, name="confirmation"),
    path("confirmations/<int:confirmation_id>/pdf/", views.confirmation_pdf, name="confirmation_pdf"),
    path("payments/", views.payment_list, name="payments"),
    path("letters/", views.letter_list, name="letters"),
    path("letters/<int:action_id>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("disputes/", views.dispute, name="dispute"),
    path("promises/", views.promise, name="promise"),
    path("remittances/", views.remittance, name="remittance"),
]
