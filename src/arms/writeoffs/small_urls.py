"""Pages of small balances, mounted inside the write-offs URLs (namespace ``writeoffs``) by
``arms/writeoffs/urls.py``: ``urlpatterns += small_balance_urlpatterns``. (The API router, ``small_api``, is
mounted by ``arms/api.py`` at /api/v1/write-offs/small-balances, before the write-off requests.)"""

from django.urls import path

from arms.writeoffs import small_views

small_balance_urlpatterns = [
    path("small-balances/", small_views.small_balances, name="small_balances"),
    path("small-balances/batches/", small_views.small_balance_batches, name="small_balance_batches"),
    path("small-balances/batches/<int:small_batch_id>/", small_views.small_balance_batch,
         name="small_balance_batch"),
    path("small-balances/batches/<int:small_batch_id>/<str:decision>/", small_views.small_balance_batch_decide,
         name="small_balance_batch_decide"),
    path("small-balances/settings/", small_views.small_balance_settings, name="small_balance_settings"),
]
