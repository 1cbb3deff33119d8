"""What a columns list page's cell shows (organizations.scoped.shown): the page's table is the
export's columns, drawn for a reader."""

from django.utils import translation

from organizations.scoped import shown


def test_a_cell_shows_nothing_as_a_dash_a_zero_as_zero_and_yes_no_in_words():
    with translation.override("zh-hans"):
        assert shown(None) == shown("") == "—"
        assert shown(0) == 0  # a count of nothing is a figure, not a missing value
        assert (shown(True), shown(False)) == ("是", "否")
        assert shown("张三") == "张三"
