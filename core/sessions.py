"""The session engine (``SESSION_ENGINE = "core.sessions"``): database sessions whose row is
read once per process and authorization generation (``core.authcache``) instead of on every
request. Saving or deleting a session (a logout, the new key at login) moves the generation,
so every process reads the row again; expiry is checked on every request."""

import hashlib

from django.contrib.sessions.backends import db
from django.utils import timezone

from . import authcache


class SessionStore(db.SessionStore):
    def _row(self):
        found = self._get_session_from_db()
        return (found.session_data, found.expire_date) if found is not None else None

    def load(self):
        if not self.session_key:
            return super().load()
        digest = hashlib.sha256(self.session_key.encode()).hexdigest()
        found = authcache.remembered(
            ("session", digest), self._row, cacheable=lambda row: row is not None
        )
        if found is None:
            self._session_key = None
            return {}
        data, expires = found
        if expires <= timezone.now():
            self._session_key = None
            return {}
        return self.decode(data)
