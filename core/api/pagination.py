from django.core.exceptions import FieldDoesNotExist, ValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound


class CursorPagination(pagination.CursorPagination):
    """Stable cursor pages for large lists: ``?cursor=`` and ``?page_size=`` (at most 1000)."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """DRF's cursor, with its position checked against the ordering field: DRF hands the
        position to the query as the client wrote it, and a changed cursor (``p=abc``) then
        failed in the database layer with a 500 instead of DRF's "invalid cursor" 404."""
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        name = self.ordering[0].lstrip("-")
        try:
            field = self._model._meta.get_field(name)
        except FieldDoesNotExist:
            return cursor  # an ordering across relations: left to the query
        try:
            position = field.to_python(cursor.position)
        except ValidationError:
            raise NotFound(self.invalid_cursor_message) from None
        if position is None:
            raise NotFound(self.invalid_cursor_message)
        return pagination.Cursor(offset=cursor.offset, reverse=cursor.reverse, position=position)
