// Regions: up to five regions whose code is $t, whose name is $t or starts with it (shortest name first).
// params: {"t": "盘锦"}
MATCH (r:Region)
WHERE r.id = $t OR r.name = $t OR r.name STARTS WITH $t
RETURN r.id AS id, r.name AS name
ORDER BY size(r.name), id
LIMIT 5
