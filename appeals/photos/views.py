"""A photo of an appeal, for staff in the appeal's scope only (404 outside it): served from the
private storage by this view, never by a static or media URL."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404

from core import attachments
from organizations.scoping import restrict

from .models import AppealPhoto


@login_required
@permission_required("appeals.view_appeal", raise_exception=True)
def photo(request, pk: int):
    row = get_object_or_404(restrict(AppealPhoto.objects.all(), request.user), pk=pk)
    return attachments.download_response(row.file, content_type=row.content_type, inline=True)
