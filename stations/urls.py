from django.urls import path

from . import views

app_name = "stations"
urlpatterns = [
    path("", views.station_list, name="list"),
    path("<int:pk>/", views.station_detail, name="detail"),
    path("map/", views.circle_map, name="map"),
    path("map/run/", views.circle_run, name="circle_run"),
    path("cabinets/low-stock/", views.low_stock, name="low_stock"),
    path("find/", views.find, name="find"),
]
