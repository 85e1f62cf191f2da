// Gaps: supply per field from universities and institutes located in the region ($prefix): their achievements,
// their experts and the institutions themselves.
// params: {"prefix": "21"}
MATCH (u:University)-[:IN_FIELD]->(f:Field)
OPTIONAL MATCH (u)-[:LOCATED_IN]->(r:Region)
WITH u, f, coalesce(u.region, r.id, '') AS region
WHERE region STARTS WITH $prefix
OPTIONAL MATCH (u)-[:OWNS]->(a:Achievement)
OPTIONAL MATCH (p:Person)-[:AFFILIATED_WITH]->(u)
RETURN f.id AS field, count(DISTINCT u) AS institutions, count(DISTINCT a) AS achievements, count(DISTINCT p) AS experts
UNION ALL
MATCH (u:ResearchInstitute)-[:IN_FIELD]->(f:Field)
OPTIONAL MATCH (u)-[:LOCATED_IN]->(r:Region)
WITH u, f, coalesce(u.region, r.id, '') AS region
WHERE region STARTS WITH $prefix
OPTIONAL MATCH (u)-[:OWNS]->(a:Achievement)
OPTIONAL MATCH (p:Person)-[:AFFILIATED_WITH]->(u)
RETURN f.id AS field, count(DISTINCT u) AS institutions, count(DISTINCT a) AS achievements, count(DISTINCT p) AS experts
