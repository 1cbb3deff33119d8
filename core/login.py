"""The sign-in forms of the portal (``/accounts/login/``) and the admin: a partner system's
service user (``organizations.roles.is_partner_service``) is refused with a message saying
its key is for the API, never let in to pages that would show it nothing."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from organizations.roles import is_partner_service

PARTNER_REFUSED = _(
    "This is a partner system's service account: its API key is for the data interface "
    "(/api/v1/) only, and it cannot sign in to the portal or the administration site. "
    "Ask the organization department for a staff account if you need the pages."
)


def _refuse_partner(user) -> None:
    if is_partner_service(user):
        raise forms.ValidationError(PARTNER_REFUSED, code="partner_service")


class PortalAuthenticationForm(AuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        _refuse_partner(user)


class PortalAdminAuthenticationForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        _refuse_partner(user)  # before the admin's "staff only" message, which would mislead
        super().confirm_login_allowed(user)
