import hashlib

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework_api_key.permissions import KeyParser

from core import authcache
from core.models import APIKey


class KeyRefused(Exception):
    """A partner key that is unknown, revoked, expired or whose user is inactive."""


def _lookup(key: str):
    """The user and record of ``key`` from the database; ``None`` when it is unknown."""
    prefix = key.partition(".")[0]
    usable = APIKey.objects.get_usable_keys().select_related("user")
    api_key = usable.filter(prefix=prefix).first()
    if api_key is None or not api_key.is_valid(key):
        return None
    return api_key.user, api_key


def user_for_key(key: str):
    """The user and record of a valid partner key; :class:`KeyRefused` otherwise (its message
    says why). The one check behind the REST API and the Open311 endpoints.

    A valid key is remembered per process by its SHA-512 (``core.authcache``): revoking or
    changing it, or its user, takes effect at once; expiry is checked on every request."""
    digest = hashlib.sha512(key.encode()).hexdigest()
    found = authcache.cached(
        ("api-key", digest),
        lambda: _lookup(key),
        cacheable=lambda v: v is not None and not v[1].revoked and v[0].is_active,
    )
    if found is None:
        raise KeyRefused(_("Invalid API key."))
    user, api_key = found
    if api_key.has_expired or api_key.revoked or not user.is_active:
        raise KeyRefused(_("This API key is revoked or expired."))
    return user, api_key


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
