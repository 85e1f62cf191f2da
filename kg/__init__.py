"""innovation-kg: a typed knowledge graph of innovation actors and their linkages.

Examples
--------
>>> import kg
>>> with kg.KnowledgeGraph.open(":memory:") as g:
...     g.count("Enterprise")
0
"""

from kg._version import __version__
from kg.errors import KGError
from kg.graph import KnowledgeGraph

__all__ = ["KnowledgeGraph", "KGError", "__version__"]
