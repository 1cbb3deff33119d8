"""The sign-in forms of the portal (``/accounts/login/``) and the admin: a partner system's
service user (``organizations.roles.is_partner_service``) is refused with a message saying
its key is for the API, never let in to pages that would show it nothing."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .roles import is_partner_by_grants, is_partner_service

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


#: Paths for machines, with their own access rules: never redirected to the sign-in page.
MACHINE_PATHS = ("/api/", "/open311/", "/metrics", "/health/", "/static/")


class PartnerSessionMiddleware:
    """A partner service user with a portal session (signed in before this rule, or by other
    means) is signed out on any page outside the API and sent to the sign-in page with the
    message, instead of walking through pages that show it nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib import messages
        from django.contrib.auth import SESSION_KEY, logout
        from django.shortcuts import redirect

        if (
            not request.path.startswith(MACHINE_PATHS)
            and SESSION_KEY in request.session
            and request.user.is_authenticated
            and is_partner_by_grants(request.user)
        ):
            logout(request)
            messages.error(request, PARTNER_REFUSED)
            return redirect("login")
        return self.get_response(request)
