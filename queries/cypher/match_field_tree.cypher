// Matching: the field taxonomy — every field with its level and parent field.
// params: {}
MATCH (f:Field)
OPTIONAL MATCH (f)-[:SUBFIELD_OF]->(p:Field)
RETURN f.id AS id, f.name AS name, f.field_level AS level, p.id AS parent
