from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework_api_key.permissions import KeyParser

from core.models import APIKey


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
            api_key = APIKey.objects.get_from_key(key)
        except APIKey.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid API key.")) from None
        if api_key.has_expired or api_key.revoked or not api_key.user.is_active:
            raise exceptions.AuthenticationFailed(_("This API key is revoked or expired."))
        return api_key.user, api_key

    def authenticate_header(self, request) -> str:
        return self.keyword
