"""Reference text of the task-force demo: member units' duties, measure texts and indicators,
meeting and task titles, research topics. The real list of the 18 measures is not public: the
titles (in ``appeals.catalogue``) and everything here are plausible inventions."""

from __future__ import annotations

#: Member unit code → duties in the task force.
DUTIES = {
    "cyberspace": "统筹网络平台企业党建与算法治理，督促平台公开派单、计酬规则，"
    "处置涉新就业群体网络舆情。",
    "market_regulation": "规范平台企业经营行为，查处不合理抽成、违规收费，"
    "推动平台企业落实主体责任。",
    "postal": "指导快递企业落实快递员权益保障，推进末端网点和快递驿站建设，开展行业党建。",
    "transport": "推进网约车、货车司机权益保障，建设司机之家，规范交通运输新业态经营。",
    "hrss": "落实职业伤害保障、社会保险和技能培训政策，调处劳动争议。",
    "trade_unions": "推动新就业群体入会，建设劳动者驿站，开展关爱帮扶和普惠服务。",
}

#: measure number → (text, lead unit, responsible units, [(indicator, unit, target,
#: cumulative)])
MEASURES = {
    1: (
        "建立由组织部牵头、成员单位参加的联席会议制度，每季度召开推进会，研究解决突出问题。",
        "org",
        ["cyberspace", "market_regulation"],
        [("召开联席会议次数", "次", 4, True)],
    ),
    2: (
        "推动平台企业和区域运营商建立党组织，暂不具备条件的选派党建工作指导员。",
        "org",
        ["cyberspace", "postal", "transport"],
        [("新建平台企业党组织", "个", 12, True), ("选派党建工作指导员", "名", 40, True)],
    ),
    3: (
        "按照“6+X”标准建设龙城红色驿站，提供歇脚、饮水、充电、应急药品等服务。",
        "trade_unions",
        ["trade_unions", "postal"],
        [("新建红色驿站", "个", 120, True), ("驿站服务人次", "万人次", 50, True)],
    ),
    4: (
        "建立新就业群体诉求直通渠道，党员骑手收集诉求，逐级办理、限时答复。",
        "org",
        ["hrss", "trade_unions"],
        [("诉求按时办结率", "%", 95, False)],
    ),
    5: (
        "落实新就业形态人员职业伤害保障试点，扩大参保覆盖面。",
        "hrss",
        ["hrss"],
        [("职业伤害保障参保人数", "万人", 8, False)],
    ),
    6: (
        "督促平台企业公开派单、计酬、奖惩等算法规则，听取劳动者意见。",
        "cyberspace",
        ["cyberspace", "market_regulation"],
        [("公开算法规则的平台企业", "家", 10, False)],
    ),
    7: (
        "督促平台企业按时足额支付劳动报酬，不得无故克扣配送费。",
        "market_regulation",
        ["market_regulation", "hrss"],
        [("查处克扣报酬案件", "件", 30, True)],
    ),
    8: (
        "合理确定订单数量、准时率、在线率等考核要素，保障劳动者休息权。",
        "market_regulation",
        ["market_regulation", "transport"],
        [("完成考核规则评估的平台", "家", 8, True)],
    ),
    9: (
        "用好专项党费，开展大病、意外、节日关爱帮扶。",
        "org",
        ["trade_unions"],
        [("帮扶困难劳动者", "人", 600, True)],
    ),
    10: (
        "新就业群体子女在常就学按居住证积分同等保障。",
        "hrss",
        ["hrss"],
        [("保障子女入学", "人", 300, True)],
    ),
    11: (
        "筹集保障性租赁住房和新市民公寓，优先面向骑手、快递员。",
        "transport",
        ["transport", "hrss"],
        [("提供保障性住房", "套", 500, True)],
    ),
    12: (
        "每年组织免费健康体检，开展心理疏导和健康讲座。",
        "trade_unions",
        ["trade_unions"],
        [("免费体检人数", "人", 5000, True)],
    ),
    13: (
        "在驿站、园区设立法律援助和劳动争议调解站点。",
        "hrss",
        ["hrss", "trade_unions"],
        [("设立调解站点", "个", 25, True), ("调处劳动争议", "件", 200, True)],
    ),
    14: (
        "优化电动车停放区域，建设集中充换电设施。",
        "transport",
        ["transport", "postal"],
        [("新建充换电柜", "组", 300, True)],
    ),
    15: (
        "开展职业技能培训和学历提升行动，给予培训补贴。",
        "hrss",
        ["hrss", "trade_unions"],
        [("技能培训人次", "人次", 3000, True)],
    ),
    16: (
        "每年选树“最美骑手”“最美快递员”等先进典型。",
        "org",
        ["postal", "trade_unions"],
        [("选树先进典型", "名", 50, True)],
    ),
    17: (
        "吸纳优秀骑手、快递员担任兼职网格员，参与基层治理。",
        "org",
        ["postal", "transport"],
        [("兼职网格员", "名", 800, True)],
    ),
    18: (
        "建立诉求办理督办、回访和满意度评价机制，定期通报。",
        "org",
        ["cyberspace", "hrss"],
        [("回访满意率", "%", 90, False)],
    ),
}

MEETING_TOPICS = (
    "新就业群体党建工作",
    "红色驿站建设",
    "平台企业算法规则公开",
    "职业伤害保障试点",
    "百人万里行调研",
    "诉求直通办理",
    "关心关爱18条措施落实",
    "快递末端网点党建",
    "网约车司机之家建设",
    "新就业群体技能培训",
)

TASK_VERBS = ("制定", "推进", "完成", "督促落实", "开展", "建立", "梳理")
TASK_OBJECTS = (
    "红色驿站选址方案",
    "平台企业党组织组建",
    "算法规则公示工作",
    "职业伤害保障参保扩面",
    "骑手诉求台账",
    "充换电设施布点",
    "新市民公寓筹集",
    "免费体检组织工作",
    "劳动争议调解站点设立",
    "兼职网格员选聘",
    "专项党费帮扶名单",
    "先进典型推荐",
)

VISIT_PLACES = {
    "enterprise": ("顺丰速运{}营业部", "中通快递{}网点", "京东物流{}站", "货拉拉{}服务中心"),
    "station": ("美团外卖{}站点", "饿了么{}配送站", "龙城红色驿站（{}）"),
    "platform": ("美团常州运营中心", "滴滴出行常州分公司", "抖音常州MCN机构"),
    "community": ("{}街道新业态党群服务中心", "{}商圈骑手集聚点"),
}
PLACE_NAMES = ("天宁", "钟楼", "新北", "武进", "金坛", "溧阳", "经开区", "湖塘", "邹区", "青龙")
PLATFORMS = ("美团", "饿了么", "顺丰", "京东", "中通", "滴滴", "货拉拉", "抖音")

#: topic (appeal category code) → what workers said
SAID = {
    "wages": ("配送费被无故扣减", "超时罚款太重", "单价一年没涨"),
    "account_ban": ("账号被封申诉无门", "被限流接不到单"),
    "order_cancel": ("顾客取消订单算骑手责任", "派单不公平"),
    "social_insurance": ("不知道怎么参加职业伤害保障", "工伤认定难"),
    "traffic_safety": ("小区不让电动车进", "路口事故多"),
    "accommodation": ("没有地方吃饭休息", "充电不方便", "租房太贵"),
    "family_children": ("孩子上学难", "暑假孩子没人带"),
    "health": ("希望有免费体检", "腰椎不好"),
    "rental_scam": ("租车押金不退",),
    "other": ("希望多组织活动", "想参加技能培训"),
}

OUTPUTS = (
    ("record", "“百人万里行”调研实录"),
    ("measures", "关于进一步关心关爱新就业群体的对策措施建议"),
    ("compilation", "新就业群体调研报告汇编"),
    ("demands", "新就业群体集中诉求清单"),
    ("policy", "关心关爱新就业群体18条措施"),
)
