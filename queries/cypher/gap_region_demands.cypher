// Gaps: the technology demands posted by firms in the region (to find those no candidate answers).
// params: {"prefix": "2111"}
MATCH (e:Enterprise)-[:POSTED]->(d:TechDemand)
WHERE coalesce(e.region, '') STARTS WITH $prefix
RETURN d.id AS id, d.name AS name, e.name AS firm
ORDER BY id
