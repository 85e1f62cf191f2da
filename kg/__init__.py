"""innovation-kg: a typed knowledge graph of innovation actors and their linkages.

Examples
--------
>>> import kg
>>> with kg.KnowledgeGraph.open(":memory:") as g:
...     g.count("Enterprise")
0
"""

from kg.errors import KGError
from kg.graph import KnowledgeGraph

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "KGError", "__version__"]
