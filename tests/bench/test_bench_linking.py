"""Benchmark: link 10k names against 100k stored units (goal: under 30 s)."""

from __future__ import annotations

import random
import time

import pandas as pd
import pytest

from kg.loaders.linking.link import match_names

pytestmark = pytest.mark.bench


def _units(n: int, seed: int = 7) -> pd.DataFrame:
    rng = random.Random(seed)
    places = ["北京", "上海", "深圳", "青岛", "杭州", "成都", "武汉", "西安", "南京", "苏州"]
    chars = "华创新智云天宇星光海蓝盛达恒信泰远博通瑞丰汇金科融鑫"
    trades = ["科技", "电子", "信息技术", "生物医药", "新材料", "智能装备", "网络科技", "光电"]
    names = set()
    while len(names) < n:
        brand = "".join(rng.choice(chars) for _ in range(rng.choice([2, 3, 4])))
        names.add(f"{rng.choice(places)}{brand}{rng.choice(trades)}有限公司")
    return pd.DataFrame({"uid": [f"U{i}" for i in range(n)], "name": sorted(names)})


def test_link_10k_names_against_100k_units():
    units = _units(100_000)
    rng = random.Random(1)
    picked = units.sample(10_000, random_state=1)["name"].tolist()
    variants = [n.replace("有限公司", "有限责任公司") if rng.random() < 0.5 else n[:2] + "（" + n[2:4] + "）" + n[4:]
                for n in picked]
    names = pd.DataFrame({"uid": [f"N{i}" for i in range(len(variants))], "name": variants})
    start = time.perf_counter()
    out = match_names(names, units)
    seconds = time.perf_counter() - start
    print(f"linked {len(names)} names against {len(units)} units in {seconds:.1f} s, {len(out)} proposals")
    assert seconds < 30
    found = out[out["kind"] == "same"]
    assert found["from_uid"].nunique() >= 0.9 * len(names)
