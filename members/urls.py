from django.urls import path

from . import views_import

app_name = "members"
urlpatterns = [
    path("import/", views_import.roster_import, name="import"),
]
