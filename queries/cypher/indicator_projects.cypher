// Projects of given kinds started from $from to $year and led by an organisation located in a region (a flow).
// Columns: actual.
// params: {"prefix": "2111", "year": 2025, "from": 2025, "kinds": ["industry_university_research"]}
MATCH (o)-[r:PARTICIPATES_IN]->(p:Project)
WHERE r.role = 'lead'
  AND o.region STARTS WITH $prefix
  AND p.project_kind IN $kinds
  AND p.start_year >= $from AND p.start_year <= $year
RETURN count(DISTINCT p) AS actual
