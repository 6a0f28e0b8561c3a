from django.urls import path

from arms.web import audit, imports, jobs, notifications, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:customer_id>/statement/", views.customer_statement, name="customer_statement"),
    path("customers/<int:customer_id>/payments/", views.customer_payment_record, name="customer_payment_record"),
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice_detail"),
    path("payments/", views.payment_list, name="payment_list"),
    path("payments/<int:payment_id>/", views.payment_detail, name="payment_detail"),
    path("imports/", imports.import_page, name="imports"),
    path("jobs/", jobs.job_index, name="jobs"),
    path("jobs/<int:job_id>/", jobs.job_detail, name="job"),
    path("jobs/<int:job_id>/file/", jobs.job_file, name="job_file"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/<int:notification_id>/open/", notifications.notification_open, name="notification_open"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification_read_all"),
]
