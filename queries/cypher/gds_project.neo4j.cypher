// Neo4j only: project the nodes of $labels and the relationships $rels (a map type -> options) as the in-memory graph $graph.
// params: {"graph": "kg_example", "labels": ["Enterprise", "University"], "rels": {"COOPERATES_WITH": {"orientation": "UNDIRECTED"}}}
CALL gds.graph.project($graph, $labels, $rels)
YIELD graphName
RETURN graphName
