// Analytics: the top-level field of every organisation's fields (for describing communities and field indicators).
// params: {}
MATCH (n)-[:IN_FIELD]->(f:Field)
OPTIONAL MATCH (f)-[:SUBFIELD_OF]->(p:Field)
RETURN n.id AS id, coalesce(p.id, f.id) AS field, coalesce(p.name, f.name) AS field_name
