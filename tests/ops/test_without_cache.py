"""Pages without the cache: with Redis unreachable, the cache and the public doors' rate limit
fail open with a logged warning, and every portal page and both public forms still answer.

The cache is the production configuration (``core.cache.redis_cache``) pointed at a port where
nothing listens."""

from __future__ import annotations

import logging
import socket

import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from appeals.models import Appeal
from core.cache import redis_cache
from members.models import MemberClaim
from tests.appeals.conftest import catalogues  # noqa: F401
from tests.members.test_claims import report_data

pytestmark = pytest.mark.django_db

#: Faces that are not portal pages (they have their own tests of the same fault).
SKIPPED_PREFIXES = ("admin/", "api/v1/", "i18n/", "open311/v2/")
#: Pages that only take POST or end the session, and the operators' endpoints (/health/ must
#: report the outage: see the last test).
NOT_PAGES = {
    "logout",
    "coverage_recompute",
    "circle_run",
    "escalation_scan",
    "health",
    "health_live",
    "metrics",
}


def _dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def no_redis(caplog):
    with override_settings(CACHES={"default": redis_cache(f"redis://127.0.0.1:{_dead_port()}/0")}):
        caches["default"]._down_until = 0.0
        with caplog.at_level(logging.WARNING):
            yield caplog


def _pages(world, people) -> list[str]:
    """Every portal page without arguments, and the detail pages the world has rows for."""
    urls = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) in SKIPPED_PREFIXES:
                    continue
                inner = pattern.namespace or namespace
                walk(pattern.url_patterns, inner)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name not in (None, *NOT_PAGES)
                and not pattern.pattern.converters
            ):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                urls.append(reverse(name))

    walk(get_resolver().url_patterns)
    urls += [
        reverse("organizations:organization_detail", args=[world.branch_delivery.pk]),
        reverse("organizations:enterprise_detail", args=[world.ent_delivery_a.pk]),
        reverse("members:member_detail", args=[people.member_delivery.pk]),
        reverse("training:worker_record", args=[people.worker_delivery.pk]),
    ]
    return urls


def test_every_portal_page_renders_without_the_cache(client, world, people, no_redis):
    client.force_login(world.staff)
    pages = _pages(world, people)
    assert len(pages) > 40
    failures = {}
    for url in pages:
        response = client.get(url)
        if response.status_code >= 500:
            failures[url] = response.status_code
    assert failures == {}
    assert client.get(reverse("portal:home")).status_code == 200
    assert any("cache unreachable" in r.getMessage() for r in no_redis.records)


def test_the_dashboard_still_works_when_the_cache_comes_back(client, world, no_redis):
    client.force_login(world.staff)
    assert client.get(reverse("portal:home")).status_code == 200
    # The cache is skipped for a few seconds after a failure, then tried again.
    assert caches["default"].available is False
    caches["default"]._down_until = 0.0
    assert caches["default"].available is True


def test_the_member_report_form_accepts_a_report_without_the_cache(client, world, no_redis):
    response = client.post(reverse("members:report"), report_data(31))
    assert response.status_code == 302, response.content[:300]
    assert MemberClaim.objects.count() == 1


def test_the_public_appeal_form_accepts_an_appeal_without_the_cache(
    client,
    world,
    catalogues,  # noqa: F811
    no_redis,
):
    response = client.post(
        "/appeals/public/",
        {
            "category": "wages",
            "description": "平台连续两个月克扣配送费，申诉无果。",
            "location": "雕庄街道某商圈",
            "region": world.street_a.code,
            "platform": str(world.platform.pk),
            "contact_name": "王师傅",
            "contact_phone": "13800001234",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 302, response.content[:300]
    assert Appeal.objects.count() == 1


def test_the_rate_limit_fails_open_with_a_warning(client, world, no_redis, settings):
    settings.MEMBER_CLAIM_RATE_LIMIT = 1
    for n in range(3):  # uncounted, so never refused
        assert client.post(reverse("members:report"), report_data(40 + n)).status_code == 302
    assert cache.get("anything") is None


def test_the_rate_limit_lets_in_when_any_cache_backend_fails(rf, caplog):
    from unittest import mock

    from core import throttle

    request = rf.post("/members/report/", REMOTE_ADDR="198.51.100.9")
    with mock.patch.object(throttle.cache, "add", side_effect=ConnectionError("down")):
        assert throttle.allow(request, door="report", limit=1, window=60) is True
    assert "not counted" in caplog.text


def test_health_reports_the_cache_outage(client, no_redis):
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    states = response.json()
    failing = [name for name, state in states.items() if state != "OK"]
    assert any("Cache" in name for name in failing)
    assert all(state == "OK" for name, state in states.items() if "Database" in name)
