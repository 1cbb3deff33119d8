"""A list page given a filter value it cannot take says so once, beside its filter form, and
still answers (the one filter form, portal/_filters.html)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = [
    ("stations:list", "status"),
    ("training:class_list", "status"),
    ("appeals_assistance:fund_list", "status"),
    ("taskforce:meeting_list", "kind"),
]


@pytest.mark.parametrize(("url", "choice"), LISTS)
def test_a_bad_filter_value_is_said_once_and_the_page_answers(client, world, url, choice):
    client.force_login(world.staff)
    page = client.get(reverse(url), {choice: "no-such-choice"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="form-errors"') == 1
    errors = page.context["filterset"].errors
    assert list(errors) == [choice]
    assert errors[choice][0] in html

    plain = client.get(reverse(url))
    assert plain.status_code == 200
    assert 'class="form-errors"' not in plain.content.decode()
