"""List pages write their row count with thousands separators (共 23,456 条), as the
dashboard writes its figures (issue 14): the count is what a department's staff compare with
their Excel ledgers, and "23456" reads as a code."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.paginator import Paginator

pytestmark = pytest.mark.django_db

LISTS = (
    "/members/",
    "/members/workers/",
    "/members/ledgers/baseline/",
    "/training/",
    "/training/classes/",
    "/training/lessons/",
    "/appeals/",
    "/appeals/assistance/",
    "/stations/cabinets/low-stock/",
)


@pytest.mark.parametrize("url", LISTS)
def test_list_counts_have_separators(client, world, url):
    client.force_login(world.staff)
    with mock.patch.object(Paginator, "count", new_callable=mock.PropertyMock) as count:
        count.return_value = 23456
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 200
    text = response.content.decode()
    assert "23,456" in text
    assert ">23456" not in text and " 23456 " not in text


def test_table_figures_have_separators():
    """The figures in the assistance totals table read like the dashboard's."""
    from decimal import Decimal

    from django.template.loader import render_to_string

    row = {
        "key": "x",
        "label": "外卖",
        "amount": Decimal("1234567.5"),
        "count": 23456,
        "in_kind_count": 1200,
        "beneficiaries": 10500,
    }
    html = render_to_string("appeals/assistance/_totals_table.html", {"rows": [row]})
    for shown in ("1,234,567.50", "23,456", "1,200", "10,500"):
        assert shown in html, shown
