"""Photos a worker sends with a public appeal (at most three): re-encoded without metadata and
stored in the private storage (``PRIVATE_MEDIA_ROOT``), never under a public path; staff in
the appeal's scope see them through :func:`appeals.photos.views.photo`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.defaults import private_storage

from ..models.appeal import Appeal, appeal_scope


class AppealPhoto(models.Model):
    scope = appeal_scope("appeal")

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("appeal"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="appeal-photos/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=32)
    size = models.PositiveIntegerField(_("size in bytes"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "appeals"
        verbose_name = _("appeal photo")
        verbose_name_plural = _("appeal photos")
        ordering = ["appeal", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} · {self.pk}"
