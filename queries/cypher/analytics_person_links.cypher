// Analytics: the person network — co-inventors of patents and co-participants of projects.
// params: {}
MATCH (a:Person)-[:INVENTED]->(p:Patent)<-[:INVENTED]-(b:Person)
WHERE a.id < b.id
RETURN a.id AS source, b.id AS target, 'patent' AS kind, count(DISTINCT p) AS n
UNION ALL
MATCH (a:Person)-[:PARTICIPATES_IN]->(p:Project)<-[:PARTICIPATES_IN]-(b:Person)
WHERE a.id < b.id
RETURN a.id AS source, b.id AS target, 'project' AS kind, count(DISTINCT p) AS n
