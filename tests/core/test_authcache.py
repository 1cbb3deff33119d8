"""Who a request is, cached per process (core.authcache): the key, session, permission and
grant lookups are not repeated on every request, and every change that narrows access reaches
the very next request — in this process at once, in the others through the shared
generation."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core import authcache
from core.models import APIKey
from organizations.choices import GrantKind
from organizations.models import ScopeGrant
from tests import factories as f

pytestmark = pytest.mark.django_db

ENTERPRISES = "/api/v1/enterprises/"


@pytest.fixture
def keyed(world):
    api_key, key = APIKey.objects.create_key(name="美团对接", user=world.partner)
    client = APIClient(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert client.get(ENTERPRISES).status_code == 200  # now cached
    return api_key, client


def _ids(response):
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def test_a_cached_key_costs_only_the_list_query(keyed):
    _api_key, client = keyed
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ENTERPRISES).status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "core_apikey" not in tables
    assert "auth_permission" not in tables
    assert "organizations_scopegrant" not in tables


def test_revoking_a_key_takes_effect_at_once(keyed):
    api_key, client = keyed
    api_key.revoked = True
    api_key.save()
    assert client.get(ENTERPRISES).status_code in (401, 403)


def test_revoking_through_a_bulk_update_takes_effect_at_once(keyed):
    _api_key, client = keyed
    APIKey.objects.filter(name="美团对接").update(revoked=True)
    assert client.get(ENTERPRISES).status_code in (401, 403)


def test_deleting_a_key_or_deactivating_its_user_takes_effect_at_once(world, keyed):
    api_key, client = keyed
    world.partner.is_active = False
    world.partner.save()
    assert client.get(ENTERPRISES).status_code in (401, 403)
    world.partner.is_active = True
    world.partner.save()
    assert client.get(ENTERPRISES).status_code == 200
    api_key.delete()
    assert client.get(ENTERPRISES).status_code in (401, 403)


def test_an_expired_key_is_refused_although_cached(keyed):
    import datetime as dt

    from django.utils import timezone

    api_key, client = keyed
    # Expiry is checked on every request, not at caching time.
    APIKey.objects.filter(pk=api_key.pk).update(expiry_date=timezone.now() - dt.timedelta(1))
    assert client.get(ENTERPRISES).status_code in (401, 403)


def test_a_removed_grant_narrows_the_next_answer(world, keyed):
    _api_key, client = keyed
    assert world.ent_delivery_a.pk in _ids(client.get(ENTERPRISES))
    ScopeGrant.objects.filter(user=world.partner).delete()
    assert _ids(client.get(ENTERPRISES)) == set()


def test_a_group_losing_the_view_permission_is_refused_next(world, keyed):
    _api_key, client = keyed
    view = Permission.objects.get(codename="view_enterprise")
    for group in Group.objects.filter(user=world.partner):
        group.permissions.remove(view)
    assert client.get(ENTERPRISES).status_code == 403


def test_a_session_user_deactivated_is_signed_out_next(world):
    client = APIClient()
    client.force_login(world.staff)
    assert client.get(ENTERPRISES).status_code == 200
    world.staff.is_active = False
    world.staff.save()
    assert client.get(ENTERPRISES).status_code in (401, 403)


def test_a_password_change_ends_other_sessions_next(world):
    client = APIClient()
    client.force_login(world.staff)
    assert client.get(ENTERPRISES).status_code == 200
    world.staff.set_password("another-Password-2026")
    world.staff.save()
    assert client.get(ENTERPRISES).status_code in (401, 403)


def test_a_moved_grant_is_seen_by_a_cached_session(world):
    client = APIClient()
    client.force_login(world.secretary_delivery)
    before = _ids(client.get(ENTERPRISES))
    assert world.ent_express_a.pk not in before
    f.grant(world.secretary_delivery, GrantKind.CITY)
    assert world.ent_express_a.pk in _ids(client.get(ENTERPRISES))


def test_another_process_s_change_is_seen_through_the_shared_generation(keyed):
    """A revocation in another process moves the shared generation only: this process's
    entry, built under the old generation, is not served."""
    api_key, client = keyed
    APIKey.objects.filter(pk=api_key.pk).update(name="renamed")  # our own bump: re-cache
    assert client.get(ENTERPRISES).status_code == 200
    # The other process: the row changes and the generation moves, our store is untouched.
    from django.db.models import QuerySet

    QuerySet.update(APIKey.objects.filter(pk=api_key.pk), revoked=True)
    assert client.get(ENTERPRISES).status_code == 200  # nothing told us yet
    cache.incr(authcache.GENERATION_KEY)
    assert client.get(ENTERPRISES).status_code in (401, 403)


def test_without_the_shared_cache_nothing_is_served_from_the_local_one(keyed, monkeypatch):
    api_key, client = keyed
    monkeypatch.setattr(authcache, "generation", lambda: None)
    from django.db.models import QuerySet

    QuerySet.update(APIKey.objects.filter(pk=api_key.pk), revoked=True)  # no bump at all
    assert client.get(ENTERPRISES).status_code in (401, 403)


def test_a_request_cannot_change_another_request_s_user(keyed):
    """Each request gets its own copy of the cached user."""
    api_key, _client = keyed
    digest_key = next(iter(authcache._store.entries))
    first, _ = authcache._store.entries[digest_key][2]
    assert first.pk == api_key.user_id
    user, _record = authcache.cached(digest_key, lambda: None)
    user.first_name = "changed"
    assert first.first_name != "changed"
