// Science-and-technology awards (科技进步奖) of given levels won from $from to $year by organisations located in a region
// (one per winner and award, a flow).
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "from": 2025, "levels": ["provincial", "municipal"]}
MATCH (o)-[w:WON]->(a:Award)
WHERE o.region STARTS WITH $prefix
  AND a.level IN $levels
  AND coalesce(w.year, a.year) >= $from AND coalesce(w.year, a.year) <= $year
RETURN count(*) AS actual
