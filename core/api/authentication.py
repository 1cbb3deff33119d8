from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework_api_key.permissions import KeyParser

from core.models import APIKey


class KeyRefused(Exception):
    """A partner key that is unknown, revoked, expired or whose user is inactive."""


def user_for_key(key: str):
    """The user and record of a valid partner key; :class:`KeyRefused` otherwise (its message
    says why). The one check behind the REST API and the Open311 endpoints."""
    try:
        api_key = APIKey.objects.get_from_key(key)
    except APIKey.DoesNotExist:
        raise KeyRefused(_("Invalid API key.")) from None
    if api_key.has_expired or api_key.revoked or not api_key.user.is_active:
        raise KeyRefused(_("This API key is revoked or expired."))
    return api_key.user, api_key


class _KeyParser(KeyParser):
    """The ``Authorization`` header first, then ``API_KEY_CUSTOM_HEADER`` (the stock parser
    reads only the custom header once that setting exists)."""

    def get(self, request):
        return self.get_from_authorization(request) or super().get(request)


class PartnerAPIKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>`` (or ``X-Api-Key``): the request acts as the key's user."""

    keyword = "Api-Key"
    key_parser = _KeyParser()

    def authenticate(self, request):
        key = self.key_parser.get(request._request)
        if not key:
            return None
        try:
            return user_for_key(key)
        except KeyRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from None

    def authenticate_header(self, request) -> str:
        return self.keyword
