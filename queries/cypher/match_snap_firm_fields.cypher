// Matching snapshot: the fields of every firm.
// params: {}
MATCH (e:Enterprise)-[:IN_FIELD]->(f:Field)
RETURN e.id AS id, f.id AS field
