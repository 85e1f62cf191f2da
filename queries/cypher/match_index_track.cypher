// Matching index: each candidate's cooperations by year $until, per field of the partner firms.
// params: {"until": 2025}
MATCH (o:Enterprise)-[c:COOPERATES_WITH]->(u)
WHERE c.since IS NULL OR c.since <= $until
MATCH (o)-[:IN_FIELD]->(f:Field)
RETURN u.id AS id, f.id AS field, count(DISTINCT o) AS firms
