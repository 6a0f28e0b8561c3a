"""Web pages of hand-overs (逾期账款交接表) and key accounts, mounted at /handovers/."""

from django.urls import path

from arms.handover import views

app_name = "handover"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new, name="new"),
    path("key-accounts/", views.key_accounts, name="key_accounts"),
    path("key-accounts/route/", views.key_accounts_route_view, name="key_accounts_route"),
    path("key-accounts/<int:customer_id>/", views.key_account_set, name="key_account_set"),
    path("<int:handover_id>/", views.detail, name="detail"),
    path("<int:handover_id>/pdf/", views.pdf, name="pdf"),
    path("<int:handover_id>/xlsx/", views.xlsx, name="xlsx"),
    path("<int:handover_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:handover_id>/cancel/", views.cancel, name="cancel"),
]
