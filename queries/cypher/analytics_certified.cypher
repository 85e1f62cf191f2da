// Analytics: enterprises holding a qualification (e.g. high_tech_enterprise), with the first year certified
// (null when unknown); year cut-offs are applied in Python.
// params: {"qualification": "high_tech_enterprise"}
MATCH (e:Enterprise)-[c:CERTIFIED_AS]->(q:Qualification {id: $qualification})
RETURN e.id AS id, min(c.year) AS year
