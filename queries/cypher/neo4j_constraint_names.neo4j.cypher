// Neo4j only: the names of the constraints in the database.
// params: {}
SHOW CONSTRAINTS
YIELD name
RETURN name
