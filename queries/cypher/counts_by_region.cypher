// Organisations per region: enterprises and academic organisations (universities, institutes) located in each Region.
// Columns: region_id, region, enterprises, academia.
MATCH (r:Region)
OPTIONAL MATCH (e:Enterprise)-[:LOCATED_IN]->(r)
WITH r, count(DISTINCT e) AS enterprises
OPTIONAL MATCH (u:University)-[:LOCATED_IN]->(r)
WITH r, enterprises, count(DISTINCT u) AS universities
OPTIONAL MATCH (i:ResearchInstitute)-[:LOCATED_IN]->(r)
WITH r, enterprises, universities, count(DISTINCT i) AS institutes
RETURN r.id AS region_id, r.name AS region, enterprises, universities + institutes AS academia
ORDER BY enterprises DESC, region_id
