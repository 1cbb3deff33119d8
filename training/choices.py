from django.db import models
from django.utils.translation import gettext_lazy as _


class LecturerKind(models.TextChoices):
    PARTY_SCHOOL = "party_school", _("Party-school teacher")  # 党校专职教师
    BACKBONE = "backbone", _("Backbone lecturer from a department")  # 部门骨干讲师


class CourseTopic(models.TextChoices):
    POLITICAL_THEORY = "political_theory", _("Political theory")  # 政治理论
    FOUR_NEW = "four_new", _("New technology, industries, forms and models")  # 四新
    VOCATIONAL_SKILLS = "vocational_skills", _("Vocational skills")  # 职业技能
    RIGHTS_AND_LAW = "rights_and_law", _("Rights and the law")  # 权益与法治
    SAFETY = "safety", _("Safety")  # 安全


class CourseFormat(models.TextChoices):
    OFFLINE = "offline", _("In person")
    ONLINE = "online", _("Online")


class ClassStatus(models.TextChoices):
    OPEN = "open", _("Open for enrollment")
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


#: A class in these states takes enrollments and check-ins.
ACTIVE_CLASS_STATUSES = (ClassStatus.OPEN, ClassStatus.IN_PROGRESS)


class EnrollmentSource(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled in advance")
    WALK_IN = "walk_in", _("Walked in at a session")


class AttendanceChannel(models.TextChoices):
    PARTNER_APP = "partner_app", _("Partner app")
    QR = "qr", _("Session QR code")
    PORTAL = "portal", _("Recorded in the portal")


class OutreachKind(models.TextChoices):
    TOURING_LECTURE = "touring_lecture", _("Touring lecture")  # 巡回宣讲
    COURIER_SAYS = "courier_says", _("Couriers say")  # 小哥说
    DRIVER_SAYS = "driver_says", _("Drivers say")  # 司机说
    STREAMER_SAYS = "streamer_says", _("Streamers say")  # 主播说


class ResourceKind(models.TextChoices):
    VIDEO = "video", _("Video")
    ARTICLE = "article", _("Article")
    COURSEWARE = "courseware", _("Courseware")
    AUDIO = "audio", _("Audio")


class SiteKind(models.TextChoices):
    RED_EDUCATION_BASE = "red_education_base", _("Red education base")  # 红色教育基地
    DEMONSTRATION_SITE = "demonstration_site", _("Party-building demonstration site")  # 示范点
    COMMUNITY_CENTER = "community_center", _("Community party-mass service center")
    STATION = "station", _("Red station")


class DesignationKind(models.TextChoices):
    PIONEER_POST = "pioneer_post", _("Party-member pioneer post")  # 党员先锋岗
    RED_FLAG_VEHICLE = "red_flag_vehicle", _("Party-member red-flag vehicle")  # 党员红旗车
    RED_LIVE_ROOM = "red_live_room", _("Red live-streaming room")  # 红色直播间


class DesignationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
