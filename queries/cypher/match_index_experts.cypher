// Matching index: experts and academicians affiliated with universities and institutes, with their expertise.
// params: {}
MATCH (p:Person)-[:AFFILIATED_WITH]->(u:University)
RETURN p.id AS id, p.name AS name, p.expertise AS expertise, p.roles AS roles, u.id AS institution, u.name AS institution_name
UNION ALL
MATCH (p:Person)-[:AFFILIATED_WITH]->(u:ResearchInstitute)
RETURN p.id AS id, p.name AS name, p.expertise AS expertise, p.roles AS roles, u.id AS institution, u.name AS institution_name
