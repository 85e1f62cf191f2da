// Analytics: enterprises holding a qualification (e.g. high_tech_enterprise) by year $year.
// params: {"qualification": "high_tech_enterprise", "year": 2025}
MATCH (e:Enterprise)-[c:CERTIFIED_AS]->(q:Qualification {id: $qualification})
WHERE c.year IS NULL OR c.year <= $year
RETURN DISTINCT e.id AS id
