"""Web pages of earlywarning, mounted at /warnings/."""

from django.urls import path

from arms.earlywarning import views

app_name = "earlywarning"
urlpatterns = [
    path("", views.home, name="home"),
    path("evaluate/", views.evaluate, name="evaluate"),
    path("<int:warning_id>/", views.warning, name="warning"),
    path("<int:warning_id>/acknowledge/", views.warning_ack, name="warning_acknowledge"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/new/", views.indicator_new, name="indicator_new"),
    path("indicators/<int:indicator_id>/", views.indicator_edit, name="indicator"),
    path("signals/", views.signals, name="signals"),
    path("signals/new/", views.signal_new, name="signal_new"),
    path("signals/<int:signal_id>/", views.signal, name="signal"),
    path("signals/<int:signal_id>/acknowledge/", views.signal_ack, name="signal_acknowledge"),
    path("signals/<int:signal_id>/evidence/", views.signal_evidence, name="signal_evidence"),
]
