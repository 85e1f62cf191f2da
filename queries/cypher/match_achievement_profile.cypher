// Matching: an achievement's text, fields and owners.
// params: {"achievement": "A000001"}
MATCH (a:Achievement {id: $achievement})
OPTIONAL MATCH (a)-[:IN_FIELD]->(f:Field)
OPTIONAL MATCH (o)-[:OWNS]->(a)
RETURN a.id AS id, a.name AS name, a.keywords AS keywords, a.description AS description, f.id AS field, o.id AS owner
