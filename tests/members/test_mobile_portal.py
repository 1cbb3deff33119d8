"""Mobile members in the portal: the activity card is issued and reviewed, and transfer letters
issued, received and returned, from portal pages through the same services as the API and the
admin; bad input writes nothing; the scope and the permissions hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from members.choices import TransferLetterStatus
from members.models import PartyMember, TransferLetter

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_issue_and_review_an_activity_card(client, world, people):
    member = people.mobile_member
    client.force_login(world.secretary_delivery)
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert f"/members/{member.pk}/card/issue/" in page
    refused = client.post(f"/members/{member.pk}/card/issue/", {"card-number": ""})
    assert refused.status_code == 400
    assert PartyMember.objects.get(pk=member.pk).activity_card_number == ""
    done = client.post(
        f"/members/{member.pk}/card/issue/",
        {"card-number": "LD-2026-0001", "card-issued_on": (TODAY() - dt.timedelta(days=10))},
    )
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.activity_card_number == "LD-2026-0001"
    future = client.post(
        f"/members/{member.pk}/card/review/",
        {"review-reviewed_on": (TODAY() + dt.timedelta(days=3)).isoformat()},
    )
    assert future.status_code == 400
    assert "review-reviewed_on" in future.content.decode()
    assert PartyMember.objects.get(pk=member.pk).activity_card_reviewed_on is None
    assert client.post(f"/members/{member.pk}/card/review/", {}).status_code == 302
    assert PartyMember.objects.get(pk=member.pk).activity_card_reviewed_on == TODAY()


def test_only_a_mobile_member_gets_a_card_and_only_with_the_permission(client, world, people):
    client.force_login(world.secretary_delivery)
    local = people.member_delivery
    assert (
        f"/members/{local.pk}/card/issue/"
        not in client.get(f"/members/{local.pk}/").content.decode()
    )
    refused = client.post(f"/members/{local.pk}/card/issue/", {"card-number": "X-1"})
    assert refused.status_code == 400
    assert PartyMember.objects.get(pk=local.pk).activity_card_number == ""
    client.force_login(world.secretary_express)  # outside scope
    url = f"/members/{people.mobile_member.pk}/card/issue/"
    assert client.post(url, {"card-number": "X-2"}).status_code == 404


def test_issue_receive_and_return_letters(client, world, people):
    member = people.member_delivery
    client.force_login(world.secretary_delivery)
    url = f"/members/{member.pk}/letters/issue/"
    too_long = client.post(
        url,
        {
            "letter-from_organization_name": "外卖联合党支部",
            "letter-to_organization": world.branch_express.pk,
            "letter-valid_until": (TODAY() + dt.timedelta(days=120)).isoformat(),
        },
    )
    assert too_long.status_code == 400
    assert not TransferLetter.objects.exists()  # nothing written, not even a draft
    for _ in range(2):
        ok = client.post(
            url,
            {
                "letter-from_organization_name": "外卖联合党支部",
                "letter-to_organization": world.branch_express.pk,
                "letter-valid_until": (TODAY() + dt.timedelta(days=30)).isoformat(),
            },
        )
        assert ok.status_code == 302
    first, second = TransferLetter.objects.order_by("id")
    assert first.status == TransferLetterStatus.ISSUED
    # The receiving committee sees the incoming letters and receives one, returns the other.
    client.force_login(world.secretary_express)
    listed = client.get("/members/letters/")
    assert {letter.pk for letter in listed.context["letters"]} == {first.pk, second.pk}
    assert (
        client.post(f"/members/letters/{first.pk}/receive/", {"next": "letters"}).status_code == 302
    )
    assert (
        client.post(f"/members/letters/{second.pk}/return/", {"note": "人已离开"}).status_code
        == 302
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == TransferLetterStatus.RECEIVED
    assert (second.status, second.note) == (TransferLetterStatus.RETURNED, "人已离开")
    member.refresh_from_db()
    assert member.organization == world.branch_express


def test_a_district_officer_sees_letters_but_changes_nothing(client, world, people):
    client.force_login(world.district_officer)
    member = people.member_delivery
    url = f"/members/{member.pk}/letters/issue/"
    assert client.post(url, {}).status_code in (403, 404)
    assert not TransferLetter.objects.exists()
