package models

// Analyze refreshes the planner's statistics (ANALYZE), as PostgreSQL's
// autovacuum and SQLite's optimize do in a running node: a benchmark
// times plans of filled tables.
func (s *Store) Analyze() error { return s.db.Exec("ANALYZE").Error }
