// Analytics: academician ties: an academician stationed at a firm's workstation links the firm with the
// organisation the academician is affiliated with (one row per firm, organisation and academician).
// params: {}
MATCH (a:Enterprise)-[:HOSTS]->(w:AcademicianWorkstation)<-[s:STATIONED_AT]-(p:Person)-[:AFFILIATED_WITH]->(b)
RETURN a.id AS source, b.id AS target, p.id AS person, s.since AS year
