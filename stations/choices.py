from django.db import models
from django.utils.translation import gettext_lazy as _


class StationKind(models.TextChoices):
    RED_STATION = "red_station", _("Red station")  # 红色驿站: serves every group
    SERVICE_BAR = "service_bar", _("Red service bar")  # 红色服务吧: one or a few groups
    SERVICE_CENTER = "service_center", _("Party-mass service center")  # 党群服务中心
    DRIVERS_HOME = "drivers_home", _("Driver's home")  # 司机之家
    WORKER_STATION = "worker_station", _("Worker station")  # 劳动者驿站 / 工会驿站


class StationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Principle(models.TextChoices):
    """寒可取暖、暑可纳凉、累可歇脚、伤可用药 (DB3204/T 1034—2022)."""

    WARM = "warm", _("Warm in the cold")
    COOL = "cool", _("Cool in the heat")
    REST = "rest", _("Rest when tired")
    MEDICINE = "medicine", _("Medicine when hurt")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class CheckInChannel(models.TextChoices):
    PARTNER_APP = "partner_app", _("Partner app")
    QR = "qr", _("Station QR code")


class TravelMode(models.TextChoices):
    WALKING = "walking", _("Walking")
    EBIKE = "ebike", _("E-bike")
