"""Web pages of credit management, mounted at /credit/."""

app_name = "credit"
urlpatterns: list = []
