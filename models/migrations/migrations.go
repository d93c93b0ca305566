// Package migrations holds the steps of Pollen's database schema, in
// order. Each step carries frozen copies of the structs it creates, so
// later changes to the live models in package models never change what an
// old step does. Package models applies them (Store.Migrate), each in its
// own transaction, and records which were applied.
package migrations

import "gorm.io/gorm"

// Step is one step of the schema: its version, a short name, and what it
// does inside the transaction it is given.
type Step struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB) error
}

// Steps lists every step, in order. Append; never edit a released step.
var Steps = []Step{
	{1, "actors, case studies, tokens", step001},
	{2, "deliveries", step002},
	{3, "follows, received activities, replies", step003},
	{4, "processes and their heartbeats", step004},
	{5, "users, sessions, sign-in throttles", step005},
	{6, "oauth apps, codes and tokens", step006},
	{7, "status ids, notes, announces, hashtags, notifications, markers", step007},
	{8, "timeline indexes: live statuses and each author's, by status id", step008},
	{9, "full-text search of case studies", step009},
	{10, "case study drafts, the audit log", step010},
	{11, "search index of a case study's text, not its Markdown", step011},
	{12, "topic actors, the network directory", step012},
	{13, "hidden received notes", step013},
	{14, "federation policy: blocked and allowed domains, blocked actors", step014},
	{15, "the search's GIN index without a pending list", step015},
	{16, "uploaded media files", step016},
	{17, "the organisation's profile as the staff save it", step017},
	{18, "search facets in a narrow table, facet counts kept as case studies are written", step018},
	{19, "deliveries waiting to be tried, by when they fall due", step019},
	{20, "room in the pages of deliveries for a claim to write in place", step020},
	{21, "an activity's payload kept once, not in each of its deliveries", step021},
}
