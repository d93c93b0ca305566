package network

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
	"gorm.io/gorm"
)

// How a node became known to this one.
const (
	ViaSelf      = "self"      // this node's own organisation
	ViaFollowing = "following" // the organisation follows it (or asked to)
	ViaFollower  = "follower"  // it follows the organisation
	ViaAnnounced = "announced" // a case study of its reached us, through a hub or from it
)

// Node is one node of the directory: the actor that speaks for it and
// what its NodeInfo said when last read. A node that stopped answering is
// marked Dead, never deleted.
type Node struct {
	ID      int64  `gorm:"primaryKey"`
	ActorID int64  `gorm:"not null;uniqueIndex:idx_nodes_actor"`
	Host    string `gorm:"not null;index:idx_nodes_host"`
	Via     string `gorm:"not null;default:''"`
	// Software and SoftwareVersion are NodeInfo's software; its metadata
	// gives OrganisationType and Region (Pollen's own).
	Software         string `gorm:"not null;default:''"`
	SoftwareVersion  string `gorm:"not null;default:''"`
	OrganisationType string `gorm:"not null;default:''"`
	Region           string `gorm:"not null;default:''"`
	// CaseStudies and LastActivity are counted from the case studies
	// this node holds of the actor (Tally).
	CaseStudies  int64 `gorm:"not null;default:0"`
	LastActivity *time.Time
	Dead         bool `gorm:"not null;default:false"`
	// Failures counts the reads of its NodeInfo that failed in a row.
	Failures    int `gorm:"not null;default:0"`
	CheckedAt   *time.Time
	NextCheckAt time.Time `gorm:"not null;index:idx_nodes_next_check"`
	CreatedAt   time.Time `gorm:"not null;index:idx_nodes_created_at"`
}

// NodeInfo is what a read of a node's NodeInfo found.
type NodeInfo struct {
	Software, SoftwareVersion, OrganisationType, Region string
}

// Due is a node whose NodeInfo is due to be read, with its actor's IRI
// and whether the actor is this node's own.
type Due struct {
	Node
	IRI   string
	Local bool
}

// Listed is a node of a directory page with the columns of its actor.
type Listed struct {
	Node
	Local bool
}

// ListQuery selects a page of the directory: Order "active" (latest
// activity first) or "new" (latest known first); LocalOnly keeps this
// node's own.
type ListQuery struct {
	Order         string
	LocalOnly     bool
	Limit, Offset int
}

// NodeStore reads and writes the directory. Reach it as Store.Nodes.
type NodeStore struct{ dbconn.Conn }

// Discover adds a row for each actor this node knows and the directory
// does not list yet: the organisation localID itself, the actors it
// follows, those that follow it (people left out: a Person is not a
// node) and the authors of the case studies it received. Each is due at
// once. It returns how many it added.
func (s *NodeStore) Discover(ctx context.Context, localID int64) (int64, error) {
	now := dbconn.DBTime(s.Now())
	sources := []struct{ via, where string }{
		{ViaSelf, "a.id = ?"},
		{ViaFollowing, "a.id IN (SELECT target_id FROM follows WHERE actor_id = ? AND outbound)"},
		{ViaFollower, "a.id IN (SELECT actor_id FROM follows WHERE target_id = ? AND NOT outbound) AND a.type <> 'Person'"},
		// Each actor's case studies by the index on actor_id: not a scan of
		// every case study (seconds at a million, under the write lock).
		{ViaAnnounced, "EXISTS (SELECT 1 FROM case_studies c WHERE c.actor_id = a.id AND NOT c.local) AND a.id <> ?"},
	}
	var added int64
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		for _, src := range sources {
			r := tx.Exec(`INSERT INTO nodes (actor_id, host, via, next_check_at, created_at)
				SELECT a.id, a.host, ?, ?, ? FROM actors a
				WHERE `+src.where+` AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.actor_id = a.id)
				ON CONFLICT (actor_id) DO NOTHING`, src.via, now, now, localID)
			if r.Error != nil {
				return r.Error
			}
			added += r.RowsAffected
		}
		return nil
	})
	return added, dbconn.Translate(err, "discover nodes")
}

// Tally counts, for every node, the case studies this node holds of its
// actor (published, not deleted) and the latest one's time. It reads
// the search's facet table (a row per live case study, step018) by its
// index on actor and publication time, not the case studies' rows.
func (s *NodeStore) Tally(ctx context.Context) error {
	const live = "c.actor_id = nodes.actor_id"
	err := s.DB.WithContext(ctx).Exec(`UPDATE nodes SET
		case_studies = (SELECT COUNT(*) FROM case_study_facets c WHERE ` + live + `),
		last_activity = (SELECT MAX(c.published) FROM case_study_facets c WHERE ` + live + `)`).Error
	return dbconn.Translate(err, "tally nodes")
}

// Due returns at most limit nodes whose NodeInfo is due, the longest
// waiting first.
func (s *NodeStore) Due(ctx context.Context, limit int) ([]Due, error) {
	var out []Due
	err := s.DB.WithContext(ctx).Table("nodes").
		Select("nodes.*, actors.iri AS iri, actors.local AS local").
		Joins("JOIN actors ON actors.id = nodes.actor_id").
		Where("nodes.next_check_at <= ?", dbconn.DBTime(s.Now())).
		Order("nodes.next_check_at, nodes.id").Limit(limit).Scan(&out).Error
	return out, dbconn.Translate(err, "list due nodes")
}

// Checked records a successful read of node id's NodeInfo: what it said,
// alive again, next read at next.
func (s *NodeStore) Checked(ctx context.Context, id int64, info NodeInfo, next time.Time) error {
	err := s.DB.WithContext(ctx).Model(&Node{}).Where("id = ?", id).Updates(map[string]any{
		"software": info.Software, "software_version": info.SoftwareVersion,
		"organisation_type": info.OrganisationType, "region": info.Region,
		"dead": false, "failures": 0, "checked_at": dbconn.DBTime(s.Now()), "next_check_at": dbconn.DBTime(next),
	}).Error
	return dbconn.Translate(err, "record node %d", id)
}

// Failed records a failed read of node id's NodeInfo, marking it dead at
// the deadAfter-th failure in a row; the next read is at next. What an
// earlier read found is kept.
func (s *NodeStore) Failed(ctx context.Context, id int64, deadAfter int, next time.Time) error {
	err := s.DB.WithContext(ctx).Model(&Node{}).Where("id = ?", id).Updates(map[string]any{
		"failures":   gorm.Expr("failures + 1"),
		"dead":       gorm.Expr("failures + 1 >= ?", deadAfter),
		"checked_at": dbconn.DBTime(s.Now()), "next_check_at": dbconn.DBTime(next),
	}).Error
	return dbconn.Translate(err, "record node %d", id)
}

// List returns a page of the directory and the number of nodes it
// selects.
func (s *NodeStore) List(ctx context.Context, q ListQuery) ([]Listed, int64, error) {
	db := s.DB.WithContext(ctx).Table("nodes").Joins("JOIN actors ON actors.id = nodes.actor_id")
	if q.LocalOnly {
		db = db.Where("actors.local")
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, dbconn.Translate(err, "count nodes")
	}
	order := "nodes.created_at DESC, nodes.id DESC"
	if q.Order != "new" {
		order = "nodes.last_activity DESC NULLS LAST, nodes.id DESC"
	}
	var out []Listed
	err := db.Select("nodes.*, actors.local AS local").Order(order).Limit(q.Limit).Offset(q.Offset).Scan(&out).Error
	return out, total, dbconn.Translate(err, "list nodes")
}
