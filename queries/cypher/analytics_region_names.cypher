// Analytics: names of regions by code.
// params: {}
MATCH (r:Region)
RETURN r.id AS id, r.name AS name
