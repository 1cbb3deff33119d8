from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_tree, name="tree"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
]
