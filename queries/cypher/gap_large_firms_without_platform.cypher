// Gaps: enterprises above designated size (规上) in the region that host no R&D platform.
// params: {"prefix": "2111"}
MATCH (e:Enterprise)
WHERE e.scale IN ['above_designated_size', 'large', 'medium'] AND coalesce(e.region, '') STARTS WITH $prefix
  AND NOT EXISTS { MATCH (e)-[:HOSTS]->(:RDPlatform) }
RETURN e.id AS id, e.name AS name, e.region AS region, e.scale AS scale, e.revenue AS revenue
ORDER BY revenue DESC, id
