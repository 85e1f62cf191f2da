"""Synthetic Chinese names for the demo ecosystem (firms, persons, institutes, texts).

All names are generated from syllable lists: they refer to no real company or
person.  Every function takes a ``numpy.random.Generator`` so output is
deterministic for a seed.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> name = company_name(rng, "盘锦", "F0404")
>>> name.endswith("公司")
True
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

T = TypeVar("T")

BRAND_1 = list("辽华恒宏金海北中瑞鑫天盛新远凯博通泰鼎嘉德长东兴安富润康正利达丰源昌隆汇诚信万明祥永聚")
BRAND_2 = list("河信通远达丰源海泰盛瑞华兴力成博宇航科创新诚晟辉腾佳越洋锦峰鸿业福诺")
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "科技有限公司"]
#: industry words per sub-field id (the firm's trade, part of its name)
TRADE = {
    "F0101": ["软件", "信息技术", "数据科技"],
    "F0102": ["微电子", "半导体", "芯片科技"],
    "F0103": ["通信技术", "物联网科技", "网络科技"],
    "F0104": ["电子元件", "电子科技", "传感技术"],
    "F0105": ["网络安全", "信息安全", "数据安全"],
    "F0201": ["生物制药", "生物科技", "生物工程"],
    "F0202": ["中药", "药业", "天然药物"],
    "F0203": ["医疗器械", "医疗科技", "医学影像"],
    "F0204": ["农业科技", "种业", "水产科技"],
    "F0301": ["航空科技", "无人机", "航空部件"],
    "F0302": ["卫星应用", "航天科技", "导航技术"],
    "F0401": ["金属材料", "合金", "冶金科技"],
    "F0402": ["新材料", "陶瓷", "碳材料"],
    "F0403": ["高分子材料", "塑胶", "橡塑科技"],
    "F0404": ["化工科技", "石化助剂", "精细化工"],
    "F0405": ["医用材料", "生物材料", "医疗材料"],
    "F0501": ["工业设计", "工程设计", "研发服务"],
    "F0502": ["检测技术", "检验检测", "计量科技"],
    "F0503": ["信息服务", "系统集成", "数字科技"],
    "F0504": ["技术转移", "知识产权", "科技服务"],
    "F0601": ["新能源", "光伏科技", "风电设备"],
    "F0602": ["氢能科技", "燃料电池", "能源科技"],
    "F0603": ["储能科技", "电池", "动力能源"],
    "F0604": ["节能科技", "节能环保", "热能技术"],
    "F0701": ["水处理", "环保科技", "水务科技"],
    "F0702": ["环保工程", "大气治理", "净化科技"],
    "F0703": ["固废处理", "资源利用", "再生资源"],
    "F0704": ["生态科技", "生态环境", "园林生态"],
    "F0705": ["石油技术", "油田服务", "能源开发"],
    "F0801": ["自动化", "智能控制", "工控科技"],
    "F0802": ["仪器仪表", "智能仪表", "测控技术"],
    "F0803": ["智能装备", "机械制造", "精密制造"],
    "F0804": ["石油装备", "石化设备", "压力容器"],
    "F0805": ["海洋工程", "船舶", "船舶重工"],
    "F0806": ["电气", "电力设备", "电力科技"],
}
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣晨阳然哲睿博文昊天思远志成海波峰雪梅兰冬春秋岩松柏晓光亮东南立新国庆建中"
)
TITLES = ["教授", "研究员", "副教授", "副研究员", "高级工程师", "正高级工程师", "讲师"]
DEMAND_TEMPLATES = [
    "我公司在{product}生产中面临{k1}与{k2}方面的技术难题，现有工艺稳定性不足，希望联合高校院所开展{k3}攻关，提升产品质量和生产效率。",
    "企业急需解决{k1}关键技术问题，拟通过产学研合作引进{k2}技术，并在{k3}方面开展联合研发，实现{product}升级。",
    "针对{product}的{k1}瓶颈，寻求具备{k2}和{k3}研发能力的团队合作，共建研发平台。",
]
ACHIEVEMENT_TEMPLATES = [
    "本成果围绕{k1}开展研究，突破了{k2}关键技术，形成{k3}成套工艺，可应用于{field}领域企业的技术升级。",
    "研发了一种基于{k1}的{k2}方法，具有成本低、效率高的特点，已完成{maturity}验证，适用于{k3}场景。",
    "针对{k1}问题，提出{k2}新技术，并研制{k3}装置，相关技术已获授权发明专利。",
]
PATENT_TEMPLATES = [
    "一种{k1}的{k2}方法",
    "一种用于{k1}的{k2}装置",
    "{k1}{k2}系统及其控制方法",
    "一种{k1}用{k2}组合物及其制备方法",
]


def pick(rng: np.random.Generator, items: list[T]) -> T:
    return items[int(rng.integers(len(items)))]


def company_name(rng: np.random.Generator, place: str, subfield: str) -> str:
    """A plausible (synthetic) firm name: 地名 + 字号 + 行业 + 组织形式."""
    brand = pick(rng, BRAND_1) + pick(rng, BRAND_2)
    prefix = place if rng.random() < 0.7 else ""
    trade, form = pick(rng, TRADE.get(subfield, ["科技"])), pick(rng, FORMS)
    if trade.endswith("科技") and form.startswith("科技"):  # no 「…科技科技有限公司」
        form = form[2:]
    return f"{prefix}{brand}{trade}{form}"


def person_name(rng: np.random.Generator) -> str:
    """A synthetic two- or three-character Chinese name."""
    given = pick(rng, GIVEN) + (pick(rng, GIVEN) if rng.random() < 0.7 else "")
    return pick(rng, SURNAMES) + given


def fill(rng: np.random.Generator, templates: list[str], keywords: list[str], **extra: str) -> str:
    """A sentence from a template with three distinct keywords of a field."""
    ks = list(rng.choice(keywords, size=min(3, len(keywords)), replace=False))
    while len(ks) < 3:
        ks.append(ks[-1])
    return pick(rng, templates).format(k1=ks[0], k2=ks[1], k3=ks[2], **extra)
