"""Photos of a meeting: re-encoded without metadata (``core.images``) and kept in the private
storage (``PRIVATE_MEDIA_ROOT``) under a random name, never under a public path; staff in the
meeting's scope see them through :func:`branchlife.views.meeting_photo`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.defaults import private_storage
from core.userfields import user_reference
from organizations.scoping import ScopeRule

from .meetings import Meeting


class MeetingPhoto(models.Model):
    scope = ScopeRule(organization="meeting__organization", region="meeting__organization__region")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to="meeting-photos/%Y/%m/", max_length=200
    )
    content_type = models.CharField(_("content type"), max_length=32)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    uploaded_by = user_reference(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting photo")
        verbose_name_plural = _("meeting photos")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.pk}"
