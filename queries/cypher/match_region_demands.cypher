// Matching (batch): the technology demands posted by every firm whose region code starts with $prefix.
// params: {"prefix": "211102"}
MATCH (e:Enterprise)-[:POSTED]->(d:TechDemand)
WHERE e.region STARTS WITH $prefix
RETURN e.id AS firm, d.name AS name, d.keywords AS keywords, d.description AS description
