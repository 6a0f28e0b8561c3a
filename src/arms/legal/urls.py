"""Web pages of legal, mounted at /legal/."""

from django.urls import path
from django.views.generic import RedirectView

from arms.legal import views

app_name = "legal"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="legal:case_list"), name="home"),
    path("letters/", views.letter_list, name="letters"),
    path("letters/<int:action_id>/", views.letter_detail, name="letter"),
    path("letters/<int:action_id>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("letters/<int:action_id>/resubmit/", views.letter_resubmit_view, name="letter_resubmit"),
    path("letters/<int:action_id>/<str:decision>/", views.letter_decide, name="letter_decide"),
    path("settings/", views.settings_view, name="settings"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/documents/<int:document_id>/", views.case_document, name="case_document"),
    path("cases/<int:case_id>/<str:action>/", views.case_action, name="case_action"),
    path("agencies/", views.mandate_list, name="agencies"),
    path("agencies/<int:mandate_id>/end/", views.mandate_end, name="mandate_end"),
    path("settlements/", views.settlement_list, name="settlements"),
    path("settlements/<int:settlement_id>/<str:decision>/", views.settlement_decide, name="settlement_decide"),
    path("assets/", views.asset_list, name="assets"),
    path("assets/<int:asset_id>/file/", views.asset_file, name="asset_file"),
]
