// Regions: the region of the store a user means by its code, its name or the start of its name (盘锦 -> 盘锦市),
// shortest name first.
// params: {"text": "盘锦"}
MATCH (r:Region)
WHERE r.id = $text OR r.name = $text OR r.name STARTS WITH $text
RETURN r.id AS id, r.name AS name, r.region_level AS level
ORDER BY size(r.name), id
LIMIT 5
