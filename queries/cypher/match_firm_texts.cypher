// Matching: products and posted demands of the given firms (text for adopter matching).
// params: {"ids": ["91211102104289785B"]}
UNWIND $ids AS i
MATCH (e:Enterprise {id: i})-[:POSTED]->(d:TechDemand)
RETURN e.id AS id, d.name AS name, d.keywords AS keywords
