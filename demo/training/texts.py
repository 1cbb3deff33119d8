"""The fixed texts and sizes of the demo's training data: the scales, the teachers and
backbone lecturers, the course menu, class kinds, sites, packs, talks and names."""

from __future__ import annotations

from training.choices import (
    CourseFormat,
    CourseTopic,
    OutreachKind,
    SiteKind,
)

#: (classes, sessions, person-times, party lessons, touring lectures, says events, sites,
#:  workers with online progress)
SCALES = {
    "small": (12, 29, 1_200, 410, 270, 50, 22, 300),
    "city": (112, 270, 12_000, 4_127, 2_775, 500, 220, 3_000),
    "province": (112, 270, 12_000, 4_127, 2_775, 500, 220, 3_000),
}

TEACHERS = (
    ("王建平", "党校教授"),
    ("李晓红", "党校副教授"),
    ("张卫东", "党校副教授"),
    ("陈静", "党校讲师"),
    ("刘志刚", "党校讲师"),
)
BACKBONE = (
    ("周海涛", "market_regulation", "食品安全科科长"),
    ("吴丽萍", "market_regulation", "网络交易监管科副科长"),
    ("徐国庆", "postal", "市场监管科科长"),
    ("孙明", "postal", "安全监管科主任科员"),
    ("朱红梅", "transport", "运输服务科科长"),
    ("胡军", "transport", "道路运输安全科科长"),
    ("郭晓东", "transport", "出租汽车管理处副处长"),
    ("何佳", "cyberspace", "网络传播科科长"),
    ("高翔", "cyberspace", "网络社会工作科副科长"),
    ("林芳", "hrss", "劳动关系科科长"),
    ("罗志勇", "hrss", "职业能力建设科科长"),
    ("郑丽", "hrss", "社会保险科主任科员"),
    ("梁斌", "trade_unions", "法律工作部部长"),
    ("谢婷", "trade_unions", "权益保障部副部长"),
    ("宋立新", "market_regulation", "消费者权益保护科科长"),
    ("唐颖", "transport", "交通安全宣传中心主任"),
)
#: topic → [(title, hours, format)]
COURSES: dict[str, list[tuple[str, str, str]]] = {
    CourseTopic.POLITICAL_THEORY: [
        ("习近平新时代中国特色社会主义思想概论", "3.0", CourseFormat.OFFLINE),
        ("党的二十大精神学习辅导", "2.0", CourseFormat.OFFLINE),
        ("党章党规党纪教育", "2.0", CourseFormat.ONLINE),
        ("中国共产党党史专题", "2.0", CourseFormat.OFFLINE),
        ("新就业群体党员的初心使命", "1.5", CourseFormat.OFFLINE),
        ("流动党员组织生活规范", "1.5", CourseFormat.ONLINE),
    ],
    CourseTopic.FOUR_NEW: [
        ("新技术：平台算法与劳动者权益", "2.0", CourseFormat.OFFLINE),
        ("新产业：即时配送与城市服务", "2.0", CourseFormat.OFFLINE),
        ("新业态：直播电商的规范发展", "2.0", CourseFormat.ONLINE),
        ("新模式：网络货运与数字物流", "2.0", CourseFormat.OFFLINE),
        ("数字经济与新就业形态", "1.5", CourseFormat.ONLINE),
    ],
    CourseTopic.VOCATIONAL_SKILLS: [
        ("外卖配送服务规范与客户沟通", "2.0", CourseFormat.OFFLINE),
        ("快递业务员职业技能提升", "3.0", CourseFormat.OFFLINE),
        ("网约车驾驶员服务礼仪", "2.0", CourseFormat.OFFLINE),
        ("网络主播职业能力与内容创作", "3.0", CourseFormat.ONLINE),
        ("货车司机节能驾驶技术", "2.0", CourseFormat.OFFLINE),
        ("新能源车辆使用与维护", "2.0", CourseFormat.OFFLINE),
    ],
    CourseTopic.RIGHTS_AND_LAW: [
        ("劳动合同与新就业形态劳动者权益保障", "2.0", CourseFormat.OFFLINE),
        ("职业伤害保障试点政策解读", "1.5", CourseFormat.OFFLINE),
        ("社会保险参保政策问答", "1.5", CourseFormat.ONLINE),
        ("网络直播营销法律法规", "2.0", CourseFormat.ONLINE),
        ("道路运输条例与合规经营", "2.0", CourseFormat.OFFLINE),
        ("劳动争议调解与法律援助", "1.5", CourseFormat.OFFLINE),
    ],
    CourseTopic.SAFETY: [
        ("电动自行车交通安全", "1.5", CourseFormat.OFFLINE),
        ("夏季防暑与应急救护", "2.0", CourseFormat.OFFLINE),
        ("锂电池消防安全", "1.5", CourseFormat.OFFLINE),
        ("道路货运安全驾驶", "2.0", CourseFormat.OFFLINE),
        ("网络安全与个人信息保护", "1.5", CourseFormat.ONLINE),
    ],
}
CLASS_KINDS = (
    "党员骨干培训班",
    "入党积极分子培训班",
    "职业技能提升班",
    "权益保障专题班",
    "安全生产专题班",
    "“四新”专题研修班",
    "新就业群体党校主体班",
)
SITE_NAMES = {
    SiteKind.RED_EDUCATION_BASE: ("红色教育基地", 30),
    SiteKind.DEMONSTRATION_SITE: ("新就业群体党建示范点", 80),
    SiteKind.COMMUNITY_CENTER: ("党群服务中心", 70),
    SiteKind.STATION: ("红色驿站学习点", 40),
}
PACKS = (
    ("理论学习资源包", CourseTopic.POLITICAL_THEORY),
    ("“四新”知识资源包", CourseTopic.FOUR_NEW),
    ("骑手职业技能资源包", CourseTopic.VOCATIONAL_SKILLS),
    ("司机职业技能资源包", CourseTopic.VOCATIONAL_SKILLS),
    ("主播能力提升资源包", CourseTopic.VOCATIONAL_SKILLS),
    ("权益维护资源包", CourseTopic.RIGHTS_AND_LAW),
    ("法律常识资源包", CourseTopic.RIGHTS_AND_LAW),
    ("安全出行资源包", CourseTopic.SAFETY),
)
SAYS = (
    (OutreachKind.COURIER_SAYS, "小哥说", ("food_delivery", "express"), 0.4),
    (OutreachKind.DRIVER_SAYS, "司机说", ("freight", "ride_hailing"), 0.34),
    (OutreachKind.STREAMER_SAYS, "主播说", ("live_streaming",), 0.26),
)
SAYS_TOPICS = ("我的党员故事", "身边的榜样", "安全出行", "奋斗者说", "暖心服务")
LECTURE_THEMES = (
    "党的创新理论进站点",
    "学习贯彻党的二十大精神",
    "新就业群体权益保障政策宣讲",
    "“两新”党建政策宣讲",
    "交通安全进站点",
    "平安常州宣讲",
    "社会保险政策宣讲",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国志文斌辉鹏宇浩凯健俊帆晨"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
