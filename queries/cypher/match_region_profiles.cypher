// Matching (batch): profiles of every firm whose region code starts with $prefix: one row per (firm, field)
// (field may be null) with region, products and description.
// params: {"prefix": "211102"}
MATCH (e:Enterprise)
WHERE e.region STARTS WITH $prefix
OPTIONAL MATCH (e)-[:IN_FIELD]->(f:Field)
RETURN e.id AS id, e.name AS name, e.region AS region, e.products AS products, e.description AS description,
       f.id AS field
