// Matching snapshot: every firm with its region code (own, else where it is located), products and description.
// params: {}
MATCH (e:Enterprise)
OPTIONAL MATCH (e)-[:LOCATED_IN]->(r:Region)
RETURN e.id AS id, coalesce(e.region, r.id) AS region, e.products AS products, e.description AS description
