"""Web pages of balance confirmations, mounted at /confirmations/."""

from django.urls import path

from arms.confirmations import views

app_name = "confirmations"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("start/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/send/", views.run_send_view, name="run_send"),
    path("differences/", views.difference_list, name="differences"),
    path("differences/<int:difference_id>/resolve/", views.difference_resolve_view, name="difference_resolve"),
    path("settings/", views.settings_view, name="settings"),
    path("dispatches/<int:dispatch_id>/delivered/", views.dispatch_delivered_view, name="dispatch_delivered"),
    path("<int:confirmation_id>/", views.confirmation_detail, name="detail"),
    path("<int:confirmation_id>/pdf/", views.confirmation_pdf, name="pdf"),
    path("<int:confirmation_id>/xlsx/", views.confirmation_xlsx, name="xlsx"),
    path("<int:confirmation_id>/scan/", views.confirmation_scan, name="scan"),
    path("<int:confirmation_id>/send/", views.confirmation_send_view, name="send"),
    path("<int:confirmation_id>/post/", views.confirmation_post_view, name="post"),
    path("<int:confirmation_id>/reply/", views.confirmation_reply_view, name="reply"),
]
