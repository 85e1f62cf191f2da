// Matching index: how many firms each candidate cooperates with by year $until (the popularity baseline).
// params: {"until": 2025}
MATCH (o:Enterprise)-[c:COOPERATES_WITH]->(u)
WHERE c.since IS NULL OR c.since <= $until
RETURN u.id AS id, count(DISTINCT o) AS firms
