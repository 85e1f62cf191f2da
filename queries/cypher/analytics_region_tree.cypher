// Analytics: every region with its name, level and the region it is part of (for grouping organisations by
// country, province, city or county).
// params: {}
MATCH (r:Region)
OPTIONAL MATCH (r)-[:PART_OF]->(p:Region)
RETURN r.id AS id, r.name AS name, r.region_level AS level, p.id AS parent
