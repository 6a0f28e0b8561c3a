"""Web pages of forecast, mounted at /forecast/."""

app_name = "forecast"
urlpatterns: list = []
