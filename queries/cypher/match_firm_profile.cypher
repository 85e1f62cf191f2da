// Matching: a firm's profile — its fields with their parent fields, region, products and description.
// params: {"firm": "91211102104289785B"}
MATCH (e:Enterprise {id: $firm})
OPTIONAL MATCH (e)-[:IN_FIELD]->(f:Field)
OPTIONAL MATCH (f)-[:SUBFIELD_OF]->(p:Field)
RETURN e.id AS id, e.name AS name, e.region AS region, e.products AS products, e.description AS description,
       f.id AS field, f.name AS field_name, p.id AS parent
