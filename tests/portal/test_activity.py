"""The dashboard's live sections from the other apps: their cards show the numbers the apps'
data hold, in the user's scope, beside the cached coverage body."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.appeals.conftest import catalogues, file_appeal  # noqa: F401  (fixtures)
from tests.appeals_assistance.conftest import funds  # noqa: F401  (fixture)
from tests.training.conftest import training  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")


def _activity(response) -> dict[str, dict[str, int]]:
    assert response.status_code == 200
    return {
        section.key: {card.key: card.value for card in section.cards}
        for section in response.context["activity"]
    }


def _cards(response, section_key: str) -> dict:
    section = next(s for s in response.context["activity"] if s.key == section_key)
    return {card.key: card for card in section.cards}


def test_appeal_and_assistance_cards_in_scope(client, world, file_appeal, funds):  # noqa: F811
    from decimal import Decimal

    from appeals.assistance import services as assistance

    file_appeal()
    file_appeal(industry=world.express, region=world.district_b, enterprise=None)
    assistance.disbursement_create(
        actor=world.staff,
        data={
            "fund": funds.delivery,
            "worker": f.WorkerFactory(industry=world.delivery),
            "amount": Decimal("1250.00"),
            "purpose": "holiday",
        },
    )
    client.force_login(world.staff)
    page = client.get(HOME)
    assert _cards(page, "appeals")["appeals_open"].value == 2
    disbursed = _cards(page, "assistance")["assistance_disbursed"]
    assert (disbursed.value, disbursed.denominator) == (Decimal("1250.00"), Decimal("18000.00"))
    client.force_login(world.secretary_delivery)
    page = client.get(HOME)
    assert _cards(page, "appeals")["appeals_open"].value == 1
    disbursed = _cards(page, "assistance")["assistance_disbursed"]
    assert (disbursed.value, disbursed.denominator) == (Decimal("1250.00"), Decimal("5000.00"))
    assert "25.0% " in page.content.decode()  # 1,250 of 5,000, labelled as of the budget


def test_training_cards_follow_the_data_and_the_scope(client, world, training):  # noqa: F811
    client.force_login(world.staff)
    city = _activity(client.get(HOME))["training"]
    assert (city["training_classes"], city["training_sessions"]) == (2, 6)
    client.force_login(world.secretary_express)
    express = _activity(client.get(HOME))["training"]
    assert (express["training_classes"], express["training_sessions"]) == (1, 1)
    html = client.get(HOME).content.decode()
    assert 'id="activity-training-title"' in html and 'href="/training/classes/' in html


def test_a_new_class_shows_once_the_minute_cache_expires(
    client,
    world,
    training,  # noqa: F811
    settings,
):
    from django.core.cache import cache

    from training import services

    cache.clear()
    client.force_login(world.staff)
    before = _activity(client.get(HOME))["training"]["training_classes"]
    services.training_class_create(
        actor=world.staff,
        data={
            "name": "网约车司机党课班",
            "organizer": world.committee_delivery,
            "region": world.district_a,
            "starts_on": training.class_d.starts_on,
            "ends_on": training.class_d.ends_on,
            "place": "党群服务中心",
            "capacity": 10,
        },
    )
    # Within the minute the cached figures stand; then the page counts the new class.
    assert _activity(client.get(HOME))["training"]["training_classes"] == before
    settings.PORTAL_ACTIVITY_CACHE_SECONDS = 0
    assert _activity(client.get(HOME))["training"]["training_classes"] == before + 1
