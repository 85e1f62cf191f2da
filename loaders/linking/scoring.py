"""A score for a candidate pair, built from comparisons, each contribution shown.

Like a Fellegi-Sunter match weight (the model Splink fits), the score is a
sum of per-comparison weights in bits: positive evidence for, negative
against.  The weights are set by hand, not fitted (see ``docs/linking.md``):

========== ============================================================ ===============
comparison levels                                                       weight (bits)
========== ============================================================ ===============
rule       :func:`~kg.loaders.linking.rules.classify`: same (strong /   +6 / +3 / +4 / -4
           weak), part_of / subsidiary, different
name       rapidfuzz ratio of the cores (same unit) or partial ratio   +4 / +2 / 0 / -2
           of the parent's name in the name (unit, member): 100, >= 90,
           >= 75, below
tokens     shared jieba words weighted by rarity (inverse document     -2 ... +4
           frequency): ``6 * share - 2``
region     same province / unknown / different province (same unit only)  +1 / 0 / -3
code       统一社会信用代码 equal / one missing / different              +10 / 0 / -10
type       same node label / different                                  +0.5 / -1
neighbours shared neighbours (partners, projects) in the graph          +1 each, at most +3
========== ============================================================ ===============

Examples
--------
>>> parts = compare({"name": "中国矿业大学（北京）"}, {"name": "中国矿业大学(北京)"})
>>> parts[0]
Comparison(name='rule', value='same: names equal after folding width, spaces, brackets and company form', weight=6.0)
>>> round(total(parts), 1)
15.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from kg.loaders.linking.blocking import tokens
from kg.loaders.linking.names import parse, province
from kg.loaders.linking.rules import Verdict, classify

RULE_WEIGHTS = {
    ("same", True): 6.0,
    ("same", False): 3.0,
    ("part_of", True): 4.0,
    ("part_of", False): 2.0,
    ("subsidiary", True): 4.0,
    ("subsidiary", False): 2.0,
}


@dataclass(frozen=True)
class Comparison:
    """One comparison of a pair: what was compared, what was found, its weight in bits."""

    name: str
    value: str
    weight: float


def compare(
    a: Mapping[str, Any],
    b: Mapping[str, Any],
    *,
    weight: Callable[[str], float] | None = None,
    verdict: Verdict | None = None,
    asserted: bool = False,
) -> list[Comparison]:
    """Compare two units (dicts with ``name`` and optionally ``label``, ``region``, ``uscc``, ``neighbours``).

    ``weight`` gives a token's rarity weight (default: every token 1).
    """
    verdict = verdict or classify(a["name"], b["name"], asserted=asserted)
    pa, pb = parse(a["name"]), parse(b["name"])
    out = [Comparison("rule", str(verdict), RULE_WEIGHTS.get((verdict.kind, verdict.strong), -4.0))]
    if verdict.kind == "same":
        ratio, shown = fuzz.ratio(pa.core, pb.core), f"{pa.core} ~ {pb.core}"
    else:  # a unit or member: how much of the parent's name the name carries
        ratio, shown = fuzz.partial_ratio(pb.main, pa.main), f"{pb.main} in {pa.main}"
    out.append(
        Comparison(
            "name",
            f"{shown}: {ratio:.0f}",
            4.0 if ratio == 100 else 2.0 if ratio >= 90 else 0.0 if ratio >= 75 else -2.0,
        )
    )
    out.append(_tokens(a["name"], b["name"], weight or (lambda t: 1.0)))
    region = _region(a, b, pa.regions, pb.regions)
    if region.weight < 0 and verdict.kind != "same":  # a campus or member elsewhere is expected
        region = Comparison("region", region.value + ", expected for a unit or member", 0.0)
    out.append(region)
    ca, cb = a.get("uscc"), b.get("uscc")
    if ca and cb:
        out.append(Comparison("code", "equal" if ca == cb else f"{ca} != {cb}", 10.0 if ca == cb else -10.0))
    else:
        out.append(Comparison("code", "not on both", 0.0))
    la, lb = a.get("label"), b.get("label")
    if la and lb:
        out.append(Comparison("type", f"{la} / {lb}", 0.5 if la == lb else -1.0))
    shared = len(set(a.get("neighbours") or ()) & set(b.get("neighbours") or ()))
    out.append(Comparison("neighbours", f"{shared} shared", float(min(shared, 3))))
    return out


def _tokens(x: str, y: str, weight: Callable[[str], float]) -> Comparison:
    tx, ty = set(tokens(x)), set(tokens(y))
    union = tx | ty
    if not union:
        return Comparison("tokens", "no words", 0.0)
    share = sum(weight(t) for t in tx & ty) / sum(weight(t) for t in union)
    words = ",".join(sorted(tx & ty)) or "none"
    return Comparison("tokens", f"shared {words} ({share:.2f} of the rarity)", round(6 * share - 2, 2))


def _region(a, b, ra, rb) -> Comparison:
    xa = province(a.get("region") or "") or (province(ra[0]) if ra else "")
    xb = province(b.get("region") or "") or (province(rb[0]) if rb else "")
    if not xa or not xb:
        return Comparison("region", "unknown on one side", 0.0)
    return Comparison("region", f"province {xa} / {xb}", 1.0 if xa == xb else -3.0)


def total(parts: list[Comparison]) -> float:
    """The score of a pair: the sum of its comparisons' weights.

    Examples
    --------
    >>> total([Comparison("rule", "same", 6.0), Comparison("region", "province 11 / 11", 1.0)])
    7.0
    """
    return round(sum(p.weight for p in parts), 2)


def evidence(parts: list[Comparison]) -> str:
    """The comparisons as one line for a review file: ``rule: ... (+6); name: ... (+4); ...``.

    Examples
    --------
    >>> evidence([Comparison("code", "equal", 10.0)])
    'code: equal (+10)'
    """
    return "; ".join(f"{p.name}: {p.value} ({p.weight:+g})" for p in parts)
