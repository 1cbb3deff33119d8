"""Red stations, their 6+X facilities, medicine cabinets, check-ins and the service circle
(DESIGN.md §6, stations; local standard DB3204/T 1034—2022).

Coordinates are WGS-84 (what phones report); they are converted to GCJ-02 only for display on
a Chinese basemap. Opening hours are rows of :class:`OpeningHours` (weekday, opens, closes):
a row whose ``closes`` is earlier than ``opens`` runs across midnight into the next day; a
24-hour station needs no rows.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.coordinates import latitude_field, longitude_field
from core.models import JobRun
from core.userfields import user_reference
from members.models import Worker
from organizations.models import Enterprise, Industry, PartyOrganization, Region
from organizations.scoping import ScopeRule

from .choices import CheckInChannel, Principle, StationKind, StationStatus, TravelMode, Weekday
from .hours import is_open_at


def station_scope(prefix: str = "", *, submitted_by: str | None = None) -> ScopeRule:
    """Who sees a station (and what hangs off it): its region subtree, the organization subtree
    that hosts it (directly, or through the host enterprise's covering organization), and the
    platform of its host enterprise. Industry committees see stations through those
    organizations only: "groups served" is a to-many relation, which a scope path cannot be."""
    p = f"{prefix}__" if prefix else ""
    return ScopeRule(
        organization=(f"{p}host_organization", f"{p}host_enterprise__party_organization"),
        region=f"{p}region",
        platform=f"{p}host_enterprise__platform",
        submitted_by=submitted_by,
    )


class Facility(models.Model):
    """One entry of the 6+X catalogue and the principles (暖/凉/歇/药) it satisfies."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    required = models.BooleanField(
        _("required"), default=False, help_text=_("One of the six facilities every station has.")
    )
    warm = models.BooleanField(_("warm in the cold"), default=False)
    cool = models.BooleanField(_("cool in the heat"), default=False)
    rest = models.BooleanField(_("rest when tired"), default=False)
    medicine = models.BooleanField(_("medicine when hurt"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["-required", "sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def principles(self) -> list[str]:
        return [p for p in Principle.values if getattr(self, p)]


class Station(models.Model):
    """A red station, service bar, party-mass service center, driver's home or worker station.

    ``compliant`` is derived from the facilities by ``services.station_refresh_compliance``
    (see :func:`stations.compliance.verdict`); nobody types it.
    """

    scope = station_scope()

    name = models.CharField(_("name"), max_length=128, db_index=True)
    kind = models.CharField(_("kind"), max_length=24, choices=StationKind.choices)
    host_enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("host enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stations",
    )
    host_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("host organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stations",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="stations"
    )
    address = models.CharField(_("address"), max_length=200)
    latitude = latitude_field(_("latitude (WGS-84)"))
    longitude = longitude_field(_("longitude (WGS-84)"))
    is_24h = models.BooleanField(_("open 24 hours"), default=False)
    industries = models.ManyToManyField(
        Industry, verbose_name=_("groups served"), blank=True, related_name="stations"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=StationStatus.choices, default=StationStatus.ACTIVE
    )
    compliant = models.BooleanField(_("meets the 6+X standard"), default=False, editable=False)
    facilities = models.ManyToManyField(
        Facility,
        verbose_name=_("facilities"),
        through="StationFacility",
        blank=True,
        related_name="stations",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["name", "id"]
        indexes = [
            # The nearby search prefilters on a bounding box of these columns.
            models.Index(fields=["status", "latitude", "longitude"], name="station_status_lat_lng"),
            models.Index(fields=["region"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="station_latitude_range", condition=Q(latitude__gte=-90, latitude__lte=90)
            ),
            models.CheckConstraint(
                name="station_longitude_range",
                condition=Q(longitude__gte=-180, longitude__lte=180),
            ),
            models.CheckConstraint(
                name="station_has_a_host",
                condition=Q(host_enterprise__isnull=False) | Q(host_organization__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if not self.host_enterprise_id and not self.host_organization_id:
            raise ValidationError(
                {"host_enterprise": gettext("A station needs a host enterprise or organization.")}
            )

    def is_open_at(self, moment: dt.datetime) -> bool:
        """Whether the station is open at ``moment`` (Asia/Shanghai local time)."""
        rows = [(h.weekday, h.opens, h.closes) for h in self.opening_hours.all()]
        return is_open_at(is_24h=self.is_24h, rows=rows, moment=moment)


class OpeningHours(models.Model):
    """One opening period: ``closes`` earlier than ``opens`` means it runs past midnight
    (e.g. Friday 18:00–02:00 covers Saturday 00:00–02:00)."""

    scope = station_scope("station")

    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.CASCADE,
        related_name="opening_hours",
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        super().clean()
        if self.opens is not None and self.opens == self.closes:
            raise ValidationError(
                {"closes": gettext("Opening and closing times are the same; use “open 24 hours”.")}
            )


class StationFacility(models.Model):
    """A facility a station offers."""

    scope = station_scope("station")

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="facility_rows"
    )
    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("station facility")
        verbose_name_plural = _("station facilities")
        constraints = [
            models.UniqueConstraint(fields=["station", "facility"], name="one_row_per_facility")
        ]

    def __str__(self) -> str:
        return str(self.facility)


class MedicineCabinet(models.Model):
    """A self-service medicine cabinet (24小时自助取药爱心柜) at a station."""

    scope = station_scope("station")

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="cabinets"
    )
    code = models.SlugField(_("cabinet code"), max_length=32, unique=True)
    is_24h = models.BooleanField(_("open 24 hours"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("medicine cabinet")
        verbose_name_plural = _("medicine cabinets")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class CabinetStock(models.Model):
    """One item in a cabinet; it is low when the quantity falls below the threshold."""

    scope = station_scope("cabinet__station")

    cabinet = models.ForeignKey(
        MedicineCabinet, verbose_name=_("cabinet"), on_delete=models.CASCADE, related_name="stock"
    )
    name = models.CharField(_("item"), max_length=64)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    threshold = models.PositiveIntegerField(_("low-stock threshold"), default=5)

    class Meta:
        verbose_name = _("cabinet stock item")
        verbose_name_plural = _("cabinet stock items")
        ordering = ["cabinet", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cabinet", "name"], name="one_stock_row_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.cabinet} · {self.name}"

    @property
    def is_low(self) -> bool:
        return self.quantity < self.threshold


class Restock(models.Model):
    """A restocking of one item: how many were added, by whom, when (never edited)."""

    scope = station_scope("stock__cabinet__station")

    stock = models.ForeignKey(
        CabinetStock,
        verbose_name=_("stock item"),
        on_delete=models.CASCADE,
        related_name="restocks",
    )
    quantity = models.PositiveIntegerField(_("quantity added"), validators=[MinValueValidator(1)])
    by = user_reference(_("restocked by"))
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("restock")
        verbose_name_plural = _("restocks")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.stock} +{self.quantity}"


class CheckIn(models.Model):
    """A worker's visit, from a partner app or the station's QR code.

    ``minute`` is ``at`` truncated to the minute: the unique constraint on (worker, station,
    minute) makes a retried or double-scanned check-in land on the same row.
    """

    scope = station_scope("station", submitted_by="submitted_by")

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="check_ins"
    )
    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="check_ins"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    minute = models.DateTimeField(_("minute"), editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=CheckInChannel.choices)
    submitted_by = user_reference(_("submitted by"))

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "station", "minute"], name="one_check_in_per_minute"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.minute = self.at.replace(second=0, microsecond=0)
        super().save(*args, **kwargs)


# --- the service circle ------------------------------------------------------------------------


class ServiceCircleSnapshot(models.Model):
    """Share of workers within the travel radius of a station, for one region (any level), one
    industry, or one industry in one region, on one day: a numerator and a denominator, never
    just a percentage. An industry committee's secretary sees their industry's rows in their
    region; region staff see their region's rows."""

    scope = ScopeRule(region="region", industry="industry")

    job = models.ForeignKey(
        JobRun, verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL
    )
    date = models.DateField(_("date"), db_index=True)
    mode = models.CharField(_("travel mode"), max_length=16, choices=TravelMode.choices)
    radius_m = models.PositiveIntegerField(_("radius (m)"))
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("needed facility"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), null=True, blank=True, on_delete=models.CASCADE
    )
    numerator = models.PositiveIntegerField(_("workers covered"))
    denominator = models.PositiveIntegerField(_("workers"))

    class Meta:
        verbose_name = _("service-circle snapshot")
        verbose_name_plural = _("service-circle snapshots")
        ordering = ["-date", "region", "industry"]

    def __str__(self) -> str:
        return f"{self.date} {self.region or self.industry}: {self.numerator}/{self.denominator}"

    @property
    def share(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


class CircleCell(models.Model):
    """What a service-circle run writes per h3 cell: the run, the cell and its centre, and
    where it lies. Empty ``industry``: computed over every worker; set: over that industry's
    workers only (what the industry committee's secretary sees)."""

    scope = ScopeRule(region="region", industry="industry")

    job = models.ForeignKey(
        JobRun, verbose_name=_("job"), on_delete=models.CASCADE, related_name="+"
    )
    cell = models.CharField(_("h3 cell"), max_length=16)
    latitude = models.FloatField(_("latitude (WGS-84)"))
    longitude = models.FloatField(_("longitude (WGS-84)"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        abstract = True


class HotSpotCell(CircleCell):
    """An h3 cell with workers outside every station's circle, from one run."""

    resolution = models.PositiveSmallIntegerField(_("resolution"))
    workers = models.PositiveIntegerField(_("uncovered workers"))

    class Meta:
        verbose_name = _("uncovered hot spot")
        verbose_name_plural = _("uncovered hot spots")
        ordering = ["-workers", "cell"]

    def __str__(self) -> str:
        return f"{self.cell} ({self.workers})"


class SuggestedSite(CircleCell):
    """A suggested site for a new station (greedy maximum coverage), in the order chosen."""

    rank = models.PositiveSmallIntegerField(_("rank"))
    newly_covered = models.PositiveIntegerField(_("workers newly covered"))

    class Meta:
        verbose_name = _("suggested site")
        verbose_name_plural = _("suggested sites")
        ordering = ["job", "rank"]

    def __str__(self) -> str:
        return f"#{self.rank} {self.cell} (+{self.newly_covered})"
