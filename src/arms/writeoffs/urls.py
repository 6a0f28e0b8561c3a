"""Web pages of write-offs, mounted at /write-offs/."""

from django.urls import path

from arms.writeoffs import views
from arms.writeoffs.small_urls import small_balance_urlpatterns

app_name = "writeoffs"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="request_create"),
    path("settings/", views.settings_edit, name="settings"),
    path("<int:writeoff_id>/", views.request_detail, name="detail"),
    path("<int:writeoff_id>/sign/", views.request_sign, name="sign"),
    path("<int:writeoff_id>/reject/", views.request_reject, name="reject"),
    path("<int:writeoff_id>/withdraw/", views.request_withdraw, name="withdraw"),
    path("<int:writeoff_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:writeoff_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("<int:writeoff_id>/collection-record/", views.collection_record_download, name="collection_record"),
    path("<int:writeoff_id>/tax-filing/", views.tax_filing, name="tax_filing"),
    path("<int:writeoff_id>/tax-filing/file/", views.tax_file_download, name="tax_file"),
]
# the small balances' pages (/write-offs/small-balances/...) live in their own module
urlpatterns += small_balance_urlpatterns
