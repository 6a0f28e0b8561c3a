"""Web pages of prediction, mounted at /prediction/."""

app_name = "prediction"
urlpatterns: list = []
