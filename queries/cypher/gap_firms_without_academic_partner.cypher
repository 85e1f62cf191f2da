// Gaps: high-tech enterprises and tech SMEs (in the region) with no university or institute partner.
// params: {"prefix": "2111"}
MATCH (e:Enterprise)-[:CERTIFIED_AS]->(q:Qualification)
WHERE q.id IN ['high_tech_enterprise', 'tech_sme'] AND coalesce(e.region, '') STARTS WITH $prefix
  AND NOT EXISTS { MATCH (e)-[:COOPERATES_WITH]->() }
RETURN e.id AS id, e.name AS name, e.region AS region, collect(DISTINCT q.name) AS qualifications
ORDER BY id
