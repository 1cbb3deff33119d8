"""The public door: a worker files an appeal, follows it with the reference and the phone's
last digits, and rates the reply once the case is closed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from appeals import services
from appeals.choices import Channel, Level, Status
from appeals.models import Appeal

pytestmark = pytest.mark.django_db

FILE = "/appeals/public/"
FOLLOW = "/appeals/public/follow/"
STATUS = "/appeals/public/follow/status/"
VISIT = "/appeals/public/follow/visit/"


def _form(world, **overrides):
    return {
        "category": "wages",
        "description": "平台连续两个月克扣配送费，申诉无果。",
        "location": "雕庄街道某商圈",
        "region": world.street_a.code,
        "platform": str(world.platform.pk),
        "contact_name": "王师傅",
        "contact_phone": "13800001234",
        "consent": "on",
        "website": "",
        **overrides,
    }


def test_form_has_a_label_for_every_field(client, world):
    response = client.get(FILE)
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "category",
        "description",
        "location",
        "region",
        "platform",
        "contact_name",
        "contact_phone",
    ):
        assert f'for="id_{name}"' in html
        assert f'id="id_{name}"' in html
    assert "csrfmiddlewaretoken" in html


def test_filing_returns_a_reference(client, world):
    response = client.post(FILE, _form(world))
    assert response.status_code == 302
    page = client.get(response["Location"])
    appeal = Appeal.objects.get()
    assert appeal.reference in page.content.decode()
    assert appeal.channel == Channel.WEB
    assert appeal.submitted_by is None
    assert appeal.region == world.street_a
    assert appeal.enterprise == world.platform and appeal.platform == world.platform
    assert appeal.industry == world.delivery
    assert appeal.phone_ends_with("1234")
    assert appeal.expected_at is not None
    # The reference is shown once: a reload goes back to the form.
    assert client.get(reverse("appeals_public:filed"))["Location"] == FILE
    # Nothing of what was sent is shown back.
    assert "13800001234" not in page.content.decode()


def test_filing_without_a_phone_is_refused_per_field(client, world):
    response = client.post(FILE, _form(world, contact_phone="", category="nope"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "contact_phone" in errors and "category" in errors
    assert not Appeal.objects.exists()


def test_a_too_short_phone_is_refused_by_the_service(client, world):
    response = client.post(FILE, _form(world, contact_phone="123"))
    assert response.status_code == 400
    assert "contact_phone" in response.context["form"].errors
    assert not Appeal.objects.exists()


def test_honeypot_stores_nothing(client, world):
    response = client.post(FILE, _form(world, website="http://spam.example"))
    assert response.status_code == 302
    assert not Appeal.objects.exists()


def test_filing_is_rate_limited(client, world, settings):
    settings.APPEALS_PUBLIC_RATE_LIMIT = 2
    assert client.post(FILE, _form(world)).status_code == 302
    assert client.post(FILE, _form(world)).status_code == 302
    response = client.post(FILE, _form(world))
    assert response.status_code == 429
    assert Appeal.objects.count() == 2
    # Following keeps its own allowance.
    assert client.get(FOLLOW).status_code == 200
    assert client.post(FOLLOW, {"reference": "X", "digits": "1234"}).status_code == 400


def _follow(client, reference, digits):
    return client.post(FOLLOW, {"reference": reference, "digits": digits})


def test_follow_with_the_right_digits_shows_the_public_steps(client, world, file_appeal):
    appeal = file_appeal(contact_phone="13912345678")
    services.appeal_dispatch(
        actor=world.staff,
        appeal=appeal,
        organization=world.branch_delivery,
        note="内部：请联系站长老刘 13700000000",
    )
    response = _follow(client, appeal.reference.lower(), "5678")
    assert response.status_code == 302 and response["Location"] == STATUS
    page = client.get(STATUS)
    html = page.content.decode()
    assert page.status_code == 200
    assert str(Status.DISPATCHED.label) in html
    assert str(Level.PARTY_BRANCH.label) in html
    assert len(page.context["timeline"]) == 2
    # Who holds it now, in plain words: the organization (never a person).
    assert f"正由{world.branch_delivery.name}办理" in html
    # No staff name, internal note, contact name or phone.
    for secret in ("staff", "老刘", "13700000000", "13912345678", "张师傅"):
        assert secret not in html


@pytest.mark.parametrize("digits", ["0000", "5679"])
def test_wrong_digits_and_wrong_reference_read_the_same(client, file_appeal, digits):
    appeal = file_appeal(contact_phone="13912345678")
    wrong_digits = _follow(client, appeal.reference, digits)
    wrong_reference = _follow(client, "SQ20260302ZZZZZZ", "5678")
    assert wrong_digits.status_code == wrong_reference.status_code == 400

    def message(response):
        return [str(e) for e in response.context["form"].non_field_errors()]

    assert message(wrong_digits) == message(wrong_reference)
    assert 'id="appeal-status"' not in wrong_digits.content.decode()
    assert client.get(STATUS)["Location"] == FOLLOW


def test_follow_is_rate_limited(client, file_appeal, settings):
    settings.APPEALS_FOLLOW_RATE_LIMIT = 3
    appeal = file_appeal(contact_phone="13912345678")
    for digits in ("0001", "0002", "0003"):
        assert _follow(client, appeal.reference, digits).status_code == 400
    # Even the right digits wait now: guessing is bounded.
    assert _follow(client, appeal.reference, "5678").status_code == 429


def _replied(world, appeal):
    appeal = services.appeal_dispatch(
        actor=world.staff, appeal=appeal, organization=world.branch_delivery
    )
    appeal = services.appeal_sign(actor=world.staff, appeal=appeal)
    return services.appeal_reply(actor=world.staff, appeal=appeal, reply="已协调退还扣款200元。")


def test_replied_appeal_shows_the_reply_but_no_rating_yet(client, world, file_appeal):
    appeal = _replied(world, file_appeal(contact_phone="13912345678"))
    _follow(client, appeal.reference, "5678")
    page = client.get(STATUS)
    assert "已协调退还扣款200元。" in page.content.decode()
    assert page.context["can_rate"] is False
    assert client.post(VISIT, {"score": "5"}).status_code == 400
    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED and appeal.satisfaction is None


def test_closed_appeal_can_be_rated_satisfied(client, world, file_appeal):
    appeal = _replied(world, file_appeal(contact_phone="13912345678"))
    services.appeal_close(actor=world.staff, appeal=appeal)
    _follow(client, appeal.reference, "5678")
    page = client.get(STATUS)
    assert page.context["can_rate"] is True
    assert 'name="score"' in page.content.decode()
    response = client.post(VISIT, {"score": "5", "note": "很满意"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.ARCHIVED and appeal.satisfaction == 5
    visit = appeal.events.get(kind="visit")
    assert visit.actor is None and visit.score == 5


def test_unsatisfied_rating_reopens_one_level_higher(client, world, file_appeal):
    appeal = _replied(world, file_appeal(contact_phone="13912345678"))
    services.appeal_close(actor=world.staff, appeal=appeal)
    _follow(client, appeal.reference, "5678")
    assert client.post(VISIT, {"score": "2"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.DISPATCHED
    assert appeal.level == Level.INDUSTRY_COMMITTEE
    assert appeal.assigned_organization == world.committee_delivery


def test_rating_needs_a_verified_follow(client, world, file_appeal):
    appeal = _replied(world, file_appeal(contact_phone="13912345678"))
    services.appeal_close(actor=world.staff, appeal=appeal)
    response = client.post(VISIT, {"score": "1"})
    assert response.status_code == 302 and response["Location"] == FOLLOW
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED


def test_bad_score_is_refused(client, world, file_appeal):
    appeal = _replied(world, file_appeal(contact_phone="13912345678"))
    services.appeal_close(actor=world.staff, appeal=appeal)
    _follow(client, appeal.reference, "5678")
    response = client.post(VISIT, {"score": "9"})
    assert response.status_code == 400
    assert "score" in response.context["visit_form"].errors
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED


def _status_html(client, appeal, digits="5678") -> str:
    assert _follow(client, appeal.reference, digits).status_code == 302
    return client.get(STATUS, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_the_worker_is_told_who_handles_the_appeal_now(client, world, file_appeal):
    appeal = file_appeal(contact_phone="13912345678")
    assert "正由受理窗口办理" in _status_html(client, appeal)
    appeal = _replied(world, appeal)
    assert f"已由{world.branch_delivery.name}办理" in _status_html(client, appeal)


def test_one_term_for_the_reference_and_a_copy_button_on_every_public_page(client, world):
    response = client.post(FILE, _form(world), HTTP_ACCEPT_LANGUAGE="zh-hans")
    filed = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    appeal = Appeal.objects.get()
    follow = client.get(FOLLOW, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    status = _status_html(client, appeal, digits="1234")
    for html in (filed, follow, status):
        assert "受理编号" in html and "回执编号" not in html
    for html, target in ((filed, "reference"), (status, "appeal-reference")):
        assert f'id="{target}">{appeal.reference}<' in html
        assert f'data-copy-target="{target}"' in html and ">复制</button>" in html
        # The button's script is a file served from the repo: no inline script, no CDN.
        assert "/static/appeals/public/copy.js" in html
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert "//cdn" not in html
