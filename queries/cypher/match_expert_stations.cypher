// Matching: workstations the given persons are stationed at, with the workstation's region code.
// params: {"ids": ["P000001"]}
UNWIND $ids AS pid
MATCH (p:Person {id: pid})-[:STATIONED_AT]->(w:AcademicianWorkstation)
RETURN p.id AS id, w.id AS workstation_id, w.name AS workstation, w.region AS region
