"""Partner service users (the API-key users) cannot sign in to the portal or the admin: the
login refuses them, in Chinese, saying their key is for the API."""

import pytest
from django.utils import translation

from organizations.choices import GrantKind
from organizations.roles import is_partner_service
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _login(client, url, username):
    with translation.override("zh-hans"):
        return client.post(url, {"username": username, "password": PASSWORD}, **ZH)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_partner_service_user_is_refused_with_a_message_about_the_api(client, world, url):
    response = _login(client, url, world.partner.username)
    assert response.status_code == 200  # the form again, not a redirect into empty pages
    text = response.content.decode()
    assert "合作方系统" in text and "API" in text, text[:2000]
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still signed out


def test_a_partner_is_also_recognised_by_its_grant_alone(world):
    user = f.UserFactory(username="partner_other", is_staff=True, groups=[])
    f.grant(user, GrantKind.PARTNER, platform=world.platform)
    assert is_partner_service(user) and is_partner_service(world.partner)
    assert not is_partner_service(world.staff)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_staff_still_sign_in(client, world, url):
    response = _login(client, url, world.staff.username)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.staff.pk)


def test_a_partner_session_from_before_is_signed_out_with_the_message(client, world):
    client.force_login(world.partner)
    with translation.override("zh-hans"):
        response = client.get("/members/", follow=True, **ZH)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert "合作方系统" in response.content.decode()


def test_the_partner_api_is_untouched(world):
    from tests.base import api_client

    response = api_client(world.partner).get("/api/v1/workers/")
    assert response.status_code == 200
