"""Web pages of earlywarning, mounted at /warnings/."""

app_name = "earlywarning"
urlpatterns: list = []
