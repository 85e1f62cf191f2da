// Analytics: persons with their affiliation (for the person network).
// params: {}
MATCH (p:Person)
OPTIONAL MATCH (p)-[:AFFILIATED_WITH]->(o)
RETURN p.id AS id, p.name AS name, 'Person' AS type, o.id AS affiliation
