// Neo4j only: drop the in-memory graph $graph (no error when it is gone).
// params: {"graph": "kg_example"}
CALL gds.graph.drop($graph, false)
YIELD graphName
RETURN graphName
