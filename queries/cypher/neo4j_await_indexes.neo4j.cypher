// Neo4j only: wait up to $seconds for new indexes to come online.
// params: {"seconds": 300}
CALL db.awaitIndexes($seconds)
