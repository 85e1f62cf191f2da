"""Named Cypher queries (``cypher/*.cypher``) and the Python that runs them.

Examples
--------
>>> from kg.named import QueryLibrary
>>> "top_cooperating_universities" in QueryLibrary().names()
True
"""
