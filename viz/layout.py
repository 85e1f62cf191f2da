"""Layouts for large views: physics off above :data:`PHYSICS_LIMIT` nodes, positions computed up front.

Examples
--------
>>> pos = positions(["a", "b", "c"], [["a", "b"], ["b", "c"]])
>>> sorted(pos), all(len(p) == 2 for p in pos.values())
(['a', 'b', 'c'], True)
"""

from __future__ import annotations

#: above this many nodes the browser does not simulate physics; a precomputed layout is used
PHYSICS_LIMIT = 600
#: an interactive page refuses more nodes than this (filter, or export to Gephi)
MAX_NODES = 5_000
#: a hub-aware view fetches at most this many nodes before folding them into aggregates
FETCH_LIMIT = 50_000


def positions(keys: list, edges: list, scale: float = 1600.0, seed: int = 7) -> dict:
    """``{key: (x, y)}`` from igraph's Fruchterman-Reingold layout (compiled; a few hundred ms for 5k nodes).

    Keys and edges are ordered before the layout, so the same nodes, edges and ``seed`` give the same
    positions whatever order they come in.
    """
    import random

    import igraph as ig

    keys = sorted(dict.fromkeys(keys), key=str)
    index = {k: i for i, k in enumerate(keys)}
    pairs = sorted({tuple(sorted((index[a], index[b]))) for a, b in edges if a in index and b in index})
    g = ig.Graph(n=len(keys), edges=pairs, directed=False)
    random.seed(seed)
    layout = g.layout_fruchterman_reingold(niter=300, grid="auto" if len(keys) > 1000 else False)
    xs = [c[0] for c in layout.coords] or [0.0]
    ys = [c[1] for c in layout.coords] or [0.0]
    x0, y0 = min(xs), min(ys)
    span = max(max(xs) - x0, max(ys) - y0) or 1.0
    return {
        k: (round((x - x0) / span * scale, 1), round((y - y0) / span * scale, 1))
        for k, (x, y) in zip(keys, layout.coords)
    }
