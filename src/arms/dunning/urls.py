"""Web pages of dunning, mounted at /dunning/."""

app_name = "dunning"
urlpatterns: list = []
