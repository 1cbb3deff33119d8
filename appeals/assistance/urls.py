"""Portal routes of the assistance funds, mounted by ``portal.urls`` at ``/appeals/assistance/``."""

from django.urls import path

from . import views

app_name = "appeals_assistance"
urlpatterns = [
    path("", views.fund_list, name="fund_list"),
    path("funds/<int:pk>/", views.fund_detail, name="fund_detail"),
    path("funds/<int:pk>/disburse/", views.disbursement_create, name="disbursement_create"),
    path("disbursements/<int:pk>/cancel/", views.disbursement_cancel, name="disbursement_cancel"),
    path("totals/", views.totals, name="totals"),
]
