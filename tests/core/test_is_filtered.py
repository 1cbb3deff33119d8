"""When a list page counts as filtered (core.filters.is_filtered): its filter form then opens
and offers to clear the filters."""

from django.http import QueryDict

from core.filters import is_filtered


def test_the_page_and_the_export_format_are_not_filters():
    assert not is_filtered(QueryDict("page=3&format=xlsx"))
    assert not is_filtered(QueryDict("region=&industry="))  # an empty field chooses nothing
    assert is_filtered(QueryDict("page=2&region=320402"))


def test_a_page_may_ignore_its_default_choice():
    assert not is_filtered(QueryDict("state=open&page=2"), "state")
    assert is_filtered(QueryDict("state=open&q=外卖"), "state")
