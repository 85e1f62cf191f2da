"""Language of what people read: column headers, statuses and enum values in Chinese (``zh``) or English (``en``).

The schema is the source: a property's Chinese title (``region`` -> 所在地区), an
enum value's title (``above_designated_size`` -> 规上), a node or edge type's
title (``University`` -> 高校).  Columns that queries compute (``score``,
``why_zh``, ``status`` ...) have their titles here.  JSON keeps the stable
English keys; only tables, CSV, HTML and images are translated.

The default language comes from ``KG_LANG``, else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``: ``en_*`` -> English), else Chinese.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"name": ["甲"], "kind": ["University"], "scale": ["above_designated_size"], "score": [0.5]})
>>> list(localise(df, "zh").columns), localise(df, "zh").iloc[0, :3].tolist()
(['名称', '类别', '企业规模', '得分'], ['甲', '高校', '规上'])
>>> list(localise(df, "en").columns)
['name', 'kind', 'scale', 'score']
>>> column_title("at_least", "zh"), value_title("not met", "zh")
('at_least', '未达成')
"""

from __future__ import annotations

import os
from functools import lru_cache

import pandas as pd

from kg.errors import KGError
from kg.regions import adcode_table
from kg.schema import load_schema

LANGS = ("zh", "en")

#: titles of columns computed by queries (not schema properties): English key -> Chinese header
COLUMN_TITLES = {
    "rank": "排名",
    "score": "得分",
    "kind": "类别",
    "label": "类型",
    "type": "类型",
    "count": "数量",
    "why_zh": "推荐理由",
    "why_en": "推荐理由(英文)",
    "field": "领域匹配",
    "text": "文本相似",
    "network": "网络关系",
    "track": "合作记录",
    "geography": "地理邻近",
    "existing": "已有合作",
    "shared_fields": "共同领域",
    "keywords": "关键词",
    "peers": "同行企业",
    "projects": "共同项目",
    "patents": "共同专利",
    "academicians": "院士",
    "firm_id": "企业编号",
    "firm_name": "企业名称",
    "firm": "企业",
    "best_match": "最佳匹配",
    "coverage": "覆盖度",
    "indicator": "指标",
    "indicator_key": "指标代码",
    "comparison": "比较方式",
    "target": "目标值",
    "stretch": "力争值",
    "unit": "单位",
    "actual": "实际值",
    "gap": "差距",
    "status": "状态",
    "note": "说明",
    "sentence": "原文",
    "source": "来源",
    "community": "社区",
    "size": "规模",
    "types": "类型构成",
    "fields": "技术领域",
    "regions": "地区",
    "top_members": "主要成员",
    "members": "成员数",
    "organisations": "机构数",
    "firms": "企业数",
    "academia": "高校院所数",
    "links": "关系数",
    "external_links": "外部关系数",
    "local_share": "本地占比",
    "density": "网络密度",
    "hte_partnered": "有合作的高企占比",
    "partners_per_firm": "企业平均合作方",
    "components": "连通分量",
    "largest_component": "最大连通分量",
    "type_assortativity": "类型同配性",
    "field_assortativity": "领域同配性",
    "property": "属性",
    "english": "英文",
    "enum": "枚举",
    "required": "必填",
    "aliases": "别名",
    "endpoints": "端点",
    "properties": "属性数",
    "parameters": "参数",
    "description": "说明",
    "file": "文件",
    "rows": "行数",
    "loaded": "已载入",
    "rejected": "已拒绝",
    "seconds": "秒",
    "rows/s": "行/秒",
    "copied": "已复制",
    "in_target": "目标库中",
    "title": "名称",
    "institution": "单位",
    "academician": "院士",
    "stationed_at": "所在工作站",
    "transferred": "已转化",
    "degree": "度",
    "weighted_degree": "加权度",
    "betweenness": "中介中心性",
    "closeness": "接近中心性",
    "eigenvector": "特征向量中心性",
    "pagerank": "PageRank",
    "kcore": "k核",
    "clustering": "聚类系数",
    "constraint": "结构洞约束",
    "effective_size": "有效规模",
    "role": "角色",
    "coordinator": "协调者",
    "gatekeeper": "守门人",
    "representative": "代表者",
    "consultant": "顾问",
    "liaison": "联络者",
    "total": "合计",
    "hit@5": "前5命中率",
    "hit@10": "前10命中率",
    "mrr": "平均倒数排名",
    "method": "方法",
    "column": "列",
    "row": "行",
    "value": "值",
    "reason": "原因",
    "name": "名称",
    "id": "编号",
    "region": "地区",
    "year": "年份",
    "weight": "权重",
    "qualifications": "资质",
    "region_name": "所在地区",
    "field_name": "领域名称",
    "demands": "需求数",
    "supply": "供给数",
    "ratio": "比值",
    "institutions": "机构数",
    "achievements": "成果数",
    "experts": "专家数",
    "host": "依托单位",
    "gap_type": "缺口类型",
}

#: columns holding 6-digit 行政区划代码 shown as region names in Chinese
REGION_COLUMNS = ("region", "regions")

#: statuses and other computed values: English -> Chinese
VALUE_TITLES = {
    "met": "已达成",
    "not met": "未达成",
    "not measurable": "无法计量",
    "status count": "现状计数",
    "at_least": "不少于",
    "at_most": "不超过",
    "exactly": "等于",
    "node": "节点",
    "edge": "关系",
    "lead": "牵头",
    "partner": "参与",
}

#: columns whose values are node type labels (Enterprise -> 企业)
TYPE_COLUMNS = ("kind", "label", "type")


def default_lang() -> str:
    """``KG_LANG`` if set, else ``en`` for an English locale, else ``zh``.

    Examples
    --------
    >>> default_lang() in LANGS
    True
    """
    wanted = os.environ.get("KG_LANG")
    if wanted:
        return check_lang(wanted)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def check_lang(lang: str | None) -> str:
    """``lang`` checked (``None`` -> :func:`default_lang`); an unknown one is a :class:`KGError` listing both.

    Examples
    --------
    >>> check_lang("EN")
    'en'
    """
    if lang is None:
        return default_lang()
    value = str(lang).strip().lower().replace("_", "-").split("-")[0]
    if value not in LANGS:
        raise KGError(f"--lang {lang!r}: use one of {', '.join(LANGS)}")
    return value


@lru_cache(maxsize=1)
def _schema_titles() -> tuple[dict, dict, dict]:
    """``{property: title}``, ``{enum key: title}``, ``{node/edge type: title}`` from the schema."""

    s = load_schema()
    props: dict[str, str] = {}
    for t in [*s.nodes.values(), *s.edges.values()]:
        for p in t.properties.values():
            props.setdefault(p.name, p.title)
    values = {k: v for e in s.enums.values() for k, v in e.values.items()}
    types = {n.label: n.title for n in s.nodes.values()} | {e.type: e.title for e in s.edges.values()}
    return props, values, types


def column_title(column: str, lang: str = "zh") -> str:
    """The header of ``column`` in ``lang`` (unknown columns keep their name).

    Examples
    --------
    >>> column_title("why_zh"), column_title("founded"), column_title("why_zh", "en")
    ('推荐理由', '成立日期', 'why_zh')
    """
    if lang == "en":
        return str(column)
    props, _, _ = _schema_titles()
    return COLUMN_TITLES.get(column) or props.get(column) or str(column)


def value_title(value, lang: str = "zh", column: str | None = None):
    """An enum value, type label or status in ``lang`` (anything else unchanged).

    Examples
    --------
    >>> value_title("provincial"), value_title("Enterprise", column="kind"), value_title(3)
    ('省级', '企业', 3)
    """
    if lang == "en" or not isinstance(value, str):
        return value
    _, values, types = _schema_titles()
    if (column is None or column in TYPE_COLUMNS) and value in types:
        return types[value]
    return VALUE_TITLES.get(value) or values.get(value, value)


def localise(frame: pd.DataFrame, lang: str = "zh", raw=()) -> pd.DataFrame:
    """A copy of ``frame`` with headers and enum / status / type values in ``lang`` (lists element by element;
    the values of the ``raw`` columns stay as they are)."""
    lang = check_lang(lang)
    if lang == "en":
        return frame.copy()
    out = frame.copy()
    for col in out.columns:
        if col not in raw and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            out[col] = out[col].map(lambda v, c=col: _translate(v, c))
    titles = [column_title(c, lang) for c in out.columns]
    seen: dict[str, int] = {}
    for i, t in enumerate(titles):  # two columns may share a title (kind, label): keep headers unique
        seen[t] = seen.get(t, 0) + 1
        if seen[t] > 1:
            titles[i] = f"{t}({out.columns[i]})"
    out.columns = titles
    return out


def _translate(value, column):
    if isinstance(value, (list, tuple)):
        return [_translate(v, column) for v in value]
    if column in REGION_COLUMNS and isinstance(value, str) and len(value) == 6 and value.isdigit():
        return region_name(value)
    return value_title(value, "zh", column)


@lru_cache(maxsize=4096)
def region_name(code: str) -> str:
    """The name of a 行政区划代码 with its city (``211102`` -> 盘锦市双台子区); the code where unknown.

    Examples
    --------
    >>> region_name("211102"), region_name("999999")
    ('盘锦市双台子区', '999999')
    """
    names = _adcode_names()
    name = names.get(code)
    if name is None:
        return code
    city = names.get(code[:4] + "00") if not code.endswith("00") else None
    return f"{city}{name}" if city else name


@lru_cache(maxsize=1)
def _adcode_names() -> dict:
    table = adcode_table()
    return dict(zip(table["code"], table["name"]))
