// Matching index: the fields of every university and research institute.
// params: {}
MATCH (u:University)-[:IN_FIELD]->(f:Field)
RETURN u.id AS id, f.id AS field
UNION ALL
MATCH (u:ResearchInstitute)-[:IN_FIELD]->(f:Field)
RETURN u.id AS id, f.id AS field
