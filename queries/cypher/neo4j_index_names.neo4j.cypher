// Neo4j only: the names of the indexes in the database.
// params: {}
SHOW INDEXES
YIELD name
RETURN name
