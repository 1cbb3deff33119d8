"""Aid that answers an appeal points at that appeal: given by its reference number on every
face, refused (changing nothing) when the reference is unknown or outside the actor's scope."""

import pytest
from django.core.exceptions import ValidationError

from appeals.models import Disbursement
from tests.appeals.conftest import catalogues, file_appeal  # noqa: F401  (fixtures)
from tests.base import api_client

from .helpers import give

pytestmark = pytest.mark.django_db


def test_a_disbursement_names_the_appeal_it_answers(world, people, funds, file_appeal):  # noqa: F811
    appeal = file_appeal()
    given = give(
        world.secretary_delivery,
        funds.delivery,
        worker=people.worker_delivery,
        amount="300.00",
        appeal_reference=appeal.reference.lower(),  # typed in either case
    )
    assert given.appeal == appeal
    assert list(appeal.disbursements.all()) == [given]


def test_an_appeal_outside_scope_is_refused_like_an_unknown_one(world, people, funds, file_appeal):  # noqa: F811
    express = file_appeal(industry=world.express, region=world.district_b, enterprise=None)
    for reference in (express.reference, "SQ20260101XXXXXX"):
        with pytest.raises(ValidationError) as exc:
            give(
                world.secretary_delivery,
                funds.delivery,
                worker=people.worker_delivery,
                amount="300.00",
                appeal_reference=reference,
            )
        assert "appeal_reference" in exc.value.message_dict
    assert not Disbursement.objects.exists()


def test_the_api_takes_and_shows_the_reference(world, people, funds, file_appeal):  # noqa: F811
    appeal = file_appeal()
    client = api_client(world.staff)
    payload = {
        "fund": funds.delivery.pk,
        "worker": people.worker_delivery.pk,
        "amount": "120.00",
        "purpose": "hardship",
        "appeal_reference": appeal.reference,
    }
    created = client.post("/api/v1/disbursements/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["appeal_reference"] == appeal.reference
    shown = client.get(f"/api/v1/disbursements/?appeal_reference={appeal.reference}").json()
    assert [d["id"] for d in shown["results"]] == [created.json()["id"]]
    bad = client.post(
        "/api/v1/disbursements/", {**payload, "appeal_reference": "SQ0"}, format="json"
    )
    assert bad.status_code == 400 and "appeal_reference" in bad.json()["fields"]
