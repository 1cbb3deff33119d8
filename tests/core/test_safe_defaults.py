"""Safe by default: the client address behind proxies, API throttling, login lock-out and the
Content-Security-Policy."""

import logging
import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from core.api.throttling import PartnerKeyThrottle, StaffSessionThrottle
from core.models import APIKey
from core.net import client_address
from tests.base import assert_error_format

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "pw-for-tests-123"
API_URL = "/api/v1/regions/"

# --- the client address --------------------------------------------------------------------


def _request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request(forwarded="1.2.3.4")) == "10.0.0.2"


def test_with_one_proxy_the_client_is_the_last_forwarded_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "6.6.6.6" itself; our proxy appended the address it saw.
    assert client_address(_request(forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"


def test_with_two_proxies_the_client_is_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = _request(forwarded="6.6.6.6, 203.0.113.7, 10.0.0.9")
    assert client_address(request) == "203.0.113.7"


def test_a_short_or_garbled_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(_request(forwarded="203.0.113.7")) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request(forwarded="not-an-ip")) == "10.0.0.2"
    assert client_address(_request(remote="")) == "unknown"


def test_lockout_records_no_made_up_address():
    from core.net import axes_client_address

    assert axes_client_address(_request(remote="")) is None
    assert axes_client_address(_request(remote="10.0.0.3")) == "10.0.0.3"


def test_public_rate_limit_counts_each_client_behind_the_proxy(client, world, settings):
    """Behind the documented reverse proxy the city no longer shares one bucket."""
    from core import throttle

    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    first = _request(remote=proxy, forwarded="203.0.113.1")
    second = _request(remote=proxy, forwarded="203.0.113.2")
    assert throttle.allow(first, door="t", limit=1, window=60)
    assert not throttle.allow(first, door="t", limit=1, window=60)
    assert throttle.allow(second, door="t", limit=1, window=60)


def test_log_records_carry_the_client_address(settings):
    """Every record the logging filter sees while a request is served carries its client."""
    from django.http import HttpResponse

    from core.logging import RequestIdFilter
    from core.middleware import RequestIdMiddleware

    settings.TRUSTED_PROXY_COUNT = 1
    seen = []

    def view(request):
        record = logging.LogRecord("portal", logging.WARNING, __file__, 1, "served", None, None)
        RequestIdFilter().filter(record)
        seen.append(record.client)
        return HttpResponse()

    RequestIdMiddleware(view)(_request(remote="10.0.0.1", forwarded="198.51.100.4"))
    assert seen == ["198.51.100.4"]
    outside = logging.LogRecord("portal", logging.WARNING, __file__, 1, "later", None, None)
    RequestIdFilter().filter(outside)
    assert outside.client == ""


# --- API throttling ------------------------------------------------------------------------


@pytest.fixture
def rates(settings):
    from core.api.throttling import AnonymousThrottle

    classes = (PartnerKeyThrottle, StaffSessionThrottle, AnonymousThrottle)
    saved = {cls: cls.__dict__.get("THROTTLE_RATES") for cls in classes}
    # DRF reads the rates when the class is defined: give the classes the test's own.
    for cls in classes:
        cls.THROTTLE_RATES = {"partner": "3/min", "staff": "2/min", "anon": "2/min"}
    yield
    for cls, value in saved.items():
        if value is None:
            del cls.THROTTLE_RATES
        else:
            cls.THROTTLE_RATES = value


def _partner_client(user, name="meituan"):
    _obj, secret = APIKey.objects.create_key(name=name, user=user)
    return APIClient(HTTP_AUTHORIZATION=f"Api-Key {secret}")


def test_partner_key_is_throttled_per_key(world, rates):
    first = _partner_client(world.partner)
    for _ in range(3):
        assert first.get(API_URL).status_code != 429
    response = first.get(API_URL)
    body = assert_error_format(response, 429, "throttled")
    assert body["message"]
    assert int(response["Retry-After"]) > 0
    # Another key of its own bucket.
    second = _partner_client(world.partner, name="meituan-2")
    assert second.get(API_URL).status_code != 429


def test_staff_session_is_throttled_per_user(world, rates, client):
    client.force_login(world.staff)
    for _ in range(2):
        assert client.get(API_URL).status_code == 200
    assert_error_format(client.get(API_URL), 429, "throttled")
    other = APIClient()
    other.force_login(world.secretary_delivery)
    assert other.get(API_URL).status_code == 200


def test_open311_shares_the_partner_key_throttle(world, rates, client):
    """The Open311 door counts in the same bucket as the key's REST API requests."""
    _obj, secret = APIKey.objects.create_key(name="hotline", user=world.partner)
    rest = APIClient(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert rest.get(API_URL).status_code != 429
    url = "/open311/v2/requests.json"
    for _ in range(2):
        assert client.get(url, {"api_key": secret}).status_code == 200
    response = client.get(url, {"api_key": secret})
    assert response.status_code == 429
    assert response.json()[0]["code"] == 429


def test_throttling_fails_open_when_the_cache_is_down(world, rates, client, monkeypatch, caplog):
    class Down:
        def get(self, *args, **kwargs):
            raise ConnectionError("redis down")

        set = get

    for cls in (PartnerKeyThrottle, StaffSessionThrottle):
        monkeypatch.setattr(cls, "cache", Down())
    client.force_login(world.staff)
    with caplog.at_level(logging.WARNING, logger="core.throttle"):
        for _ in range(4):
            assert client.get(API_URL).status_code == 200
    assert "not counted" in caplog.text


# --- login lock-out ------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_repeated_failed_logins_lock_out(client, world, settings, url_name):
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse(url_name)
    for _ in range(3):
        response = client.post(url, {"username": "staff", "password": "wrong"})
        assert response.status_code in (200, 429)
    # Locked: even the right password is refused, with the lock-out page.
    response = client.post(url, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked out (no one can lock the account for everyone).
    response = client.post(
        url, {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="198.51.100.77"
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.staff.pk)


def test_a_successful_login_resets_the_count(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("login")
    for _ in range(2):
        client.post(url, {"username": "staff", "password": "wrong"})
    assert client.post(url, {"username": "staff", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(2):
        client.post(url, {"username": "staff", "password": "wrong"})
    assert client.post(url, {"username": "staff", "password": PASSWORD}).status_code == 302


# --- Content-Security-Policy ---------------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy(client, world):
    client.force_login(world.staff)
    for url in (reverse("login"), "/", reverse("admin:index")):
        response = client.get(url, follow=True)
        policy = response.headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy


def test_the_tile_server_may_serve_map_images(settings):
    import subprocess
    import sys

    code = (
        "from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    env = {
        "DEBUG": "1",
        "PORTAL_MAP_TILE_URL": "https://{s}.tiles.gov.example/{z}/{x}/{y}.png",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "https://*.tiles.gov.example" in result.stdout, result.stderr


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle=[\"']", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=[\"']", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_templates_have_no_inline_script_or_style():
    """The policy allows no inline code: every template keeps its scripts and styles in
    static files (json_script data blocks are not code and are allowed)."""
    found = []
    for path in ROOT.glob("*/templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r'<script type="application/json"[^>]*>', "", text)
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{path.relative_to(ROOT)}: {what}")
    # Swagger UI's page (drf-spectacular's template) keeps its <style>; the docs views relax
    # style-src for themselves (portal/api_urls.py).
    assert found == []


def test_the_api_docs_relax_styles_only(client):
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        response = client.get(url)
        assert response.status_code == 200
        policy = response.headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'"
        assert "'unsafe-inline'" in directives["style-src"]
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
    # Swagger UI's start-up script is served as a file of this origin.
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
