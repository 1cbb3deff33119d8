"""Hot spots: many similar appeals in one place within a few days raise an alert for the city."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from organizations import scoping
from organizations.models import Region

from ..choices import (
    HotSpotSubject,
    InboxKind,
)
from ..models import Appeal, HotSpotAlert
from .levels import _first_responder
from .steps import _is_user, _now, notify


def hotspot_settings() -> tuple[int, int]:
    """(N appeals, window in days) from ``APPEALS_HOTSPOT_N``/``APPEALS_HOTSPOT_WINDOW_DAYS``."""
    return (
        int(getattr(settings, "APPEALS_HOTSPOT_N", 5)),
        int(getattr(settings, "APPEALS_HOTSPOT_WINDOW_DAYS", 7)),
    )


def _city_of(region: Region | None) -> Region | None:
    if region is None:
        return None
    root = region.path.split("/")[0] + "/" if region.path else ""
    if not root or root == region.path:
        return region
    return Region.objects.filter(path=root).first() or region


def hotspots_raise(*, appeal: Appeal, now: dt.datetime | None = None) -> list[HotSpotAlert]:
    """Count the appeals of ``appeal``'s category against its platform and at its place
    within the window; at N or more, raise an alert (or raise the open alert's count) and
    tell the industry committee. Called at intake, in its transaction."""
    at = _now(now)
    n, window = hotspot_settings()
    since = at - dt.timedelta(days=window)
    base = Appeal.objects.filter(
        category_id=appeal.category_id,
        received_at__gt=since,
        received_at__lte=at,
        duplicate_of__isnull=True,
    )
    subjects: list[tuple[str, dict[str, Any], Q]] = []
    if appeal.platform_id:
        subjects.append(
            (
                HotSpotSubject.PLATFORM,
                {"platform_id": appeal.platform_id, "region": _city_of(appeal.region)},
                Q(platform_id=appeal.platform_id),
            )
        )
    if appeal.region_id:
        subjects.append(
            (
                HotSpotSubject.PLACE,
                {"platform_id": None, "region_id": appeal.region_id},
                Q(region_id=appeal.region_id),
            )
        )
    raised = []
    for subject, target, match in subjects:
        count = base.filter(match).count()
        if count < n:
            continue
        key = {
            "subject": subject,
            "category_id": appeal.category_id,
            "resolved": False,
            "platform_id": target.get("platform_id"),
        }
        if subject == HotSpotSubject.PLACE:
            key["region_id"] = target["region_id"]
        alert = HotSpotAlert.objects.select_for_update().filter(**key).first()
        if alert is None:
            try:
                with transaction.atomic():  # a concurrent intake may raise the same alert
                    alert = HotSpotAlert.objects.create(
                        **key,
                        **(
                            {"region": target["region"]}
                            if subject == HotSpotSubject.PLATFORM
                            else {}
                        ),
                        industry_id=appeal.industry_id,
                        window_days=window,
                        window_start=since,
                        count=count,
                        raised_at=at,
                        last_appeal_at=at,
                    )
                _notify_hotspot(alert, appeal, at)
            except IntegrityError:
                alert = HotSpotAlert.objects.filter(**key).first()
        if alert is not None and alert.raised_at != at:
            alert.count, alert.window_start, alert.last_appeal_at = count, since, at
            alert.save(update_fields=["count", "window_start", "last_appeal_at"])
        if alert is not None:
            raised.append(alert)
    return raised


def _notify_hotspot(alert: HotSpotAlert, appeal: Appeal, at: dt.datetime) -> None:
    responder = _first_responder(appeal)
    notify(
        kind=InboxKind.HOTSPOT,
        text=_("Hot spot: %(alert)s appeals within %(days)s days.")
        % {"alert": alert, "days": alert.window_days},
        appeal=appeal,
        organization=responder,
        at=at,
    )


def hotspot_resolve(*, actor: Any, alert: HotSpotAlert, now: dt.datetime | None = None):
    """Mark a hot-spot alert handled; the next appeals raise a new one."""
    at = _now(now)
    with transaction.atomic():
        if (
            _is_user(actor)
            and not scoping.visible(HotSpotAlert, actor).filter(pk=alert.pk).exists()
        ):
            raise ValidationError(_("This alert is outside your scope."))
        before = audit.snapshot(alert)
        alert.resolved, alert.resolved_at = True, at
        alert.resolved_by = actor if _is_user(actor) else None
        alert.save(update_fields=["resolved", "resolved_at", "resolved_by"])
        changes = audit.diff(before, audit.snapshot(alert))
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=alert, changes=changes, verb="resolve"
        )
    return alert
