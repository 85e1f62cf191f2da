// Research institutes (产业技术研究院, 新型研发机构 ...) of given kinds in a region (a stock).
// Institutes carry no founding year: the count is the one the graph holds; $year is returned for the record.
// Columns: actual, year.
// params: {"prefix": "2111", "year": 2025, "kinds": ["industrial_technology_institute"]}
MATCH (r:ResearchInstitute)
WHERE r.region STARTS WITH $prefix
  AND r.institute_kind IN $kinds
RETURN count(r) AS actual, $year AS year
