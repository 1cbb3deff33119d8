from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Stable cursor pages for large lists: ``?cursor=`` and ``?page_size=`` (at most 1000)."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
