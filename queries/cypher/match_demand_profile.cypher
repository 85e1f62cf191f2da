// Matching: a technology demand's text and fields, and the firm that posted it.
// params: {"demand": "TD000001"}
MATCH (d:TechDemand {id: $demand})
OPTIONAL MATCH (d)-[:IN_FIELD]->(f:Field)
OPTIONAL MATCH (e:Enterprise)-[:POSTED]->(d)
RETURN d.id AS id, d.name AS name, d.keywords AS keywords, d.description AS description, f.id AS field,
       e.id AS firm, e.name AS firm_name, e.region AS region
