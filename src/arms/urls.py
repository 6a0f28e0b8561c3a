from django.contrib import admin
from django.urls import include, path

from arms.api import api
from arms.common.health import healthz

# Under /api/ every error is the JSON error shape (413 for a body over the limit, 503 when the database does not
# answer, 500 without a traceback); elsewhere Django's own pages.
handler400 = "arms.common.api_errors.bad_request"
handler403 = "arms.common.api_errors.permission_denied"
handler404 = "arms.common.api_errors.page_not_found"
handler500 = "arms.common.api_errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("arms.web.auth_urls")),
    path("credit/holds/", include("arms.exposure.urls")),
    path("credit/", include("arms.credit.urls")),
    path("bank/", include("arms.bank.urls")),
    path("cash/", include("arms.bank.cash_urls")),
    path("contracts/", include("arms.contractreview.urls")),
    path("collection-plans/", include("arms.collectionplans.urls")),
    path("handovers/", include("arms.handover.urls")),
    path("incentives/", include("arms.incentives.urls")),
    path("collections/", include("arms.cases.urls")),
    path("dunning/", include("arms.dunning.urls")),
    path("confirmations/coverage/", include("arms.confirmations.coverage_urls")),
    path("confirmations/", include("arms.confirmations.urls")),
    path("provisioning/", include("arms.provisioning.urls")),
    path("write-offs/", include("arms.writeoffs.urls")),
    path("limitation/", include("arms.limitation.urls")),
    path("legal/", include("arms.legal.urls")),
    path("analytics/", include("arms.analytics.urls")),
    path("warnings/", include("arms.earlywarning.urls")),
    path("prediction/", include("arms.prediction.urls")),
    path("forecast/", include("arms.forecast.urls")),
    path("stress/", include("arms.stress.urls")),
    path("reports/", include("arms.reports.urls")),
    path("portal/", include("arms.portal.urls")),
    path("sales-reconciliations/", include("arms.salesrecon.urls")),
    path("", include("arms.web.urls")),
]
