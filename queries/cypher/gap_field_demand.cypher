// Gaps: technology demands posted by firms in the region, per field.
// params: {"prefix": "2111"}
MATCH (e:Enterprise)-[:POSTED]->(d:TechDemand)-[:IN_FIELD]->(f:Field)
WHERE coalesce(e.region, '') STARTS WITH $prefix
RETURN f.id AS field, f.name AS field_name, count(DISTINCT d) AS demands
