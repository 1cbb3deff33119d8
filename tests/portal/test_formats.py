"""How figures are written: separators on counts, money in 元 with two decimals and 万元."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from core import figures
from portal.cards import KpiCard


def test_counts_and_money_are_written_with_separators():
    assert figures.number(215124) == "215,124"
    assert figures.number(Decimal("1234.5")) == "1,234.5"
    assert figures.number(None) == ""
    with translation.override("zh-hans"):
        assert figures.yuan(Decimal("5850608.83")) == "5,850,608.83 元"
        assert figures.yuan("12") == "12.00 元"
        assert figures.wan_yuan(Decimal("5850608.83")) == "585.06 万元"
        html = Template("{% load figures %}{{ n|number }} {{ m|yuan }}").render(
            Context({"n": 140000, "m": Decimal("0.5")})
        )
    assert html == "140,000 0.50 元"


def test_a_money_card_shows_yuan_and_ten_thousands():
    card = KpiCard(
        key="assistance_disbursed",
        title="帮扶",
        value=Decimal("5850608.83"),
        denominator=Decimal("8000000.00"),
        unit="yuan",
    )
    with translation.override("zh-hans"):
        assert card.shown_value == "5,850,608.83 元"
        assert card.shown_denominator == "8,000,000.00 元"
        assert card.wan == "585.06 万元"
    assert round(card.percent, 1) == 73.1
    assert KpiCard(key="workers", title="从业人员", value=215124).shown_value == "215,124"
