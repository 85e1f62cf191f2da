// Neo4j only: the version of the Graph Data Science plugin (fails where it is not installed).
// params: {}
RETURN gds.version() AS version
