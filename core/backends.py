"""The login backend: Django's ``ModelBackend`` whose session lookups (the user behind a
session, with permissions and scope grants) come from ``core.authcache``."""

from django.contrib.auth.backends import ModelBackend

from . import authcache


class CachedModelBackend(ModelBackend):
    """A session's user is read once per process and authorization generation: a password
    change, a deactivation or a change of groups, permissions or grants reaches the next
    request (the session hash is still checked against the cached user's password)."""

    def get_user(self, user_id):
        return authcache.cached(
            ("user", str(user_id)),
            lambda: super(CachedModelBackend, self).get_user(user_id),
            cacheable=lambda user: user is not None,
        )
