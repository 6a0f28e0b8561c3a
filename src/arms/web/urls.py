from django.urls import path

from arms.web import audit, deliveries, imports, jobs, manual, notifications, portal_links, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:customer_id>/statement/", views.customer_statement, name="customer_statement"),
    path("customers/<int:customer_id>/payments/", views.customer_payment_record, name="customer_payment_record"),
    path("customers/<int:customer_id>/portal-links/", portal_links.portal_link_issue, name="portal_link_issue"),
    path("customers/<int:customer_id>/portal-links/<int:link_id>/revoke/", portal_links.portal_link_revoke,
         name="portal_link_revoke"),
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice_detail"),
    # invoice delivery proof (arms.web.deliveries)
    path("invoices/undelivered/", deliveries.delivery_outstanding, name="delivery_outstanding"),
    path("invoices/undelivered/record/", deliveries.delivery_bulk, name="delivery_bulk"),
    path("invoices/<int:invoice_id>/deliveries/", deliveries.invoice_delivery_record, name="invoice_delivery_record"),
    path("invoices/<int:invoice_id>/receipt/", deliveries.invoice_receipt_confirm, name="invoice_receipt_confirm"),
    path("invoices/<int:invoice_id>/send/", deliveries.invoice_send, name="invoice_send"),
    path("invoices/<int:invoice_id>/pdf/", deliveries.invoice_pdf, name="invoice_pdf"),
    path("deliveries/<int:delivery_id>/scan/", deliveries.delivery_scan, name="delivery_scan"),
    path("payments/", views.payment_list, name="payment_list"),
    path("payments/<int:payment_id>/", views.payment_detail, name="payment_detail"),
    # manual cash application and documents from the UI (arms.web.manual)
    path("payments/<int:payment_id>/apply/", manual.payment_apply, name="payment_apply"),
    path("allocations/<int:allocation_id>/undo/", manual.allocation_undo, name="allocation_undo"),
    path("invoices/<int:invoice_id>/payments/", manual.invoice_payment_record, name="invoice_payment_record"),
    path("invoices/<int:invoice_id>/credit-notes/", manual.invoice_credit_note, name="invoice_credit_note"),
    path("invoices/<int:invoice_id>/recoveries/", manual.invoice_recovery, name="invoice_recovery"),
    path("customers/<int:customer_id>/invoices/", views.customer_invoice_post, name="customer_invoice_post"),
    path("approvals/", manual.approval_list, name="approval_list"),
    path("approvals/settings/", manual.approval_settings, name="approval_settings"),
    path("approvals/<int:approval_id>/", manual.approval_detail, name="approval_detail"),
    path("approvals/<int:approval_id>/decide/", manual.approval_decide, name="approval_decide"),
    path("imports/", imports.import_page, name="imports"),
    path("jobs/", jobs.job_index, name="jobs"),
    path("jobs/<int:job_id>/", jobs.job_detail, name="job"),
    path("jobs/<int:job_id>/file/", jobs.job_file, name="job_file"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/<int:notification_id>/open/", notifications.notification_open, name="notification_open"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification_read_all"),
]
