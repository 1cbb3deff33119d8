"""The API's JSON (core.api.renderers, through orjson) is what DRF's renderer writes: the same
bytes for strings, numbers and every type DRF's encoder knows, the same escapes, and DRF itself
for what orjson refuses or for indented output."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer as DRFRenderer

from core.api.renderers import JSONRenderer

OURS, DRF = JSONRenderer(), DRFRenderer()

#: JSON-like values without floats (their exponents are written 1e16 / 1e+16: same number).
plain = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@given(plain)
def test_the_same_bytes_as_drf_for_any_json_value(value):
    assert OURS.render(value) == DRF.render(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_are_the_same_numbers(value):
    assert json.loads(OURS.render({"x": value})) == json.loads(DRF.render({"x": value}))


def test_the_types_drf_encodes_and_the_escapes_it_writes():
    shanghai = ZoneInfo("Asia/Shanghai")
    value = {
        "utc": dt.datetime(2026, 12, 7, 8, 30, 1, 250, tzinfo=dt.UTC),
        "local": dt.datetime(2026, 12, 7, 16, 30, tzinfo=shanghai),
        "naive": dt.datetime(2026, 12, 7, 16, 30),
        "date": dt.date(2026, 12, 7),
        "time": dt.time(8, 30, 15, 120000),
        "decimal": decimal.Decimal("12.50"),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "lazy": gettext_lazy("resident ID number"),
        "tuple": (1, "二", None),
        "set": {"甲"},
        "text": '外卖骑手 \u2028 line \u2029 para \x00 \x1f \t \n " \\ / \x7f 😀',
    }
    ours = OURS.render(value)
    assert ours == DRF.render(value)
    assert b"\\u2028" in ours and "\u2028".encode() not in ours


def test_what_orjson_refuses_and_indented_output_go_to_drf():
    for value in ({1: "a", 2: "b"}, {"big": 2**70}):
        assert OURS.render(value) == DRF.render(value)
    indented = "application/json; indent=2"
    assert OURS.render({"a": [1]}, indented) == DRF.render({"a": [1]}, indented)
    assert b"\n  " in OURS.render({"a": [1]}, indented)
    assert OURS.render(None) == b""
