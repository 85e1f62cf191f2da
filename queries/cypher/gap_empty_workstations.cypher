// Gaps: academician workstations (in the region) with no academician stationed.
// params: {"prefix": "2111"}
MATCH (w:AcademicianWorkstation)
WHERE coalesce(w.region, '') STARTS WITH $prefix AND NOT EXISTS { MATCH (w)<-[:STATIONED_AT]-(:Person) }
OPTIONAL MATCH (h)-[:HOSTS]->(w)
RETURN w.id AS id, w.name AS name, w.region AS region, h.name AS host
ORDER BY id
