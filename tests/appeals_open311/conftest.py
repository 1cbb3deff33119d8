"""Fixtures of the Open311 tests: the appeals catalogues (tests/appeals/conftest.py), partner
keys and a client speaking GeoReport v2."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.models import APIKey
from organizations.choices import EnterpriseKind, GrantKind
from organizations.roles import PARTNER_SYSTEM
from tests import factories as f
from tests.appeals.conftest import MONDAY_9, catalogues, file_appeal, local  # noqa: F401


@pytest.fixture
def keys(world):
    """A key for the Meituan partner of the world and one for a second partner (SF)."""
    _obj, meituan = APIKey.objects.create_key(name="meituan", user=world.partner)
    sf_platform = f.EnterpriseFactory(
        name="顺丰", kind=EnterpriseKind.PLATFORM_HQ, industry=world.express, region=world.city
    )
    other = f.UserFactory(username="partner_sf", is_staff=False, groups=[PARTNER_SYSTEM])
    f.grant(other, GrantKind.PARTNER, platform=sf_platform)
    _obj, sf = APIKey.objects.create_key(name="sf", user=other)
    return SimpleNamespace(meituan=meituan, sf=sf, sf_user=other, sf_platform=sf_platform)


@pytest.fixture
def post_request(client, keys):
    """``post_request(**params)``: POST requests.json as the Meituan partner."""

    def post(fmt="json", **params):
        data = {
            "api_key": keys.meituan,
            "service_code": "wages",
            "lat": "31.7810",
            "long": "119.9460",
            "address_string": "天宁区雕庄街道某路口",
            "description": "站点连续三个月克扣配送费。",
            "first_name": "伟",
            "last_name": "张",
            "phone": "13912345678",
            **params,
        }
        data = {k: v for k, v in data.items() if v is not None}
        return client.post(f"/open311/v2/requests.{fmt}", data)

    return post
