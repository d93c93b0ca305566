package dbconn

// SQLiteLower is the SQL function the SQLite stores register to fold text
// as PostgreSQL's lower() does (Go's strings.ToLower), so that a filter on
// "école" finds "École" on both databases.
const SQLiteLower = "pollen_lower"

// Lower is the SQL that folds column's text on c's database.
func (c Conn) Lower(column string) string {
	if c.Postgres {
		return "LOWER(" + column + ")"
	}
	return SQLiteLower + "(" + column + ")"
}
