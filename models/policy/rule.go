// Package policy holds the federation policy's rules: the blocked
// domains, the allowed domains (of the allowlist mode) and the blocked
// actors, and the SQL through which the reads of package models leave
// the blocked ones' content out.
package policy

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The kinds of rule.
const (
	// KindBlock blocks a domain: its Value is an authority (a host, with
	// its port when the actors' ids give one), in lower case.
	KindBlock = "block"
	// KindAllow allows a domain in the allowlist mode.
	KindAllow = "allow"
	// KindBlockActor blocks one actor: its Value is the actor's IRI.
	KindBlockActor = "block-actor"
)

// The audit log's actions of the federation policy.
const (
	AuditBlocked    = "blocked"
	AuditUnblocked  = "unblocked"
	AuditAllowed    = "allowed"
	AuditDisallowed = "disallowed"
)

// HiddenActorIDs is a SQL subquery of the ids of the actors whose content
// is hidden: the actors of the blocked domains and the blocked actors.
// Reads of remote content add "actor_id NOT IN (" + HiddenActorIDs + ")";
// it starts from the rules, so it costs next to nothing when there are
// none.
const HiddenActorIDs = "SELECT actors.id FROM federation_rules JOIN actors ON actors.host = federation_rules.value WHERE federation_rules.kind = 'block'" +
	" UNION SELECT actors.id FROM federation_rules JOIN actors ON actors.iri = federation_rules.value WHERE federation_rules.kind = 'block-actor'"

// Rule is one rule of the federation policy.
type Rule struct {
	ID int64 `gorm:"primaryKey"`
	// Kind is KindBlock, KindAllow or KindBlockActor.
	Kind string `gorm:"not null;uniqueIndex:idx_federation_rules_key,priority:1"`
	// Value is the domain's authority or the actor's IRI.
	Value string `gorm:"not null;uniqueIndex:idx_federation_rules_key,priority:2"`
	// Reason is what the staff wrote down, Who who added the rule.
	Reason    string `gorm:"not null;default:''"`
	Who       string `gorm:"not null;default:''"`
	CreatedAt time.Time
}

// TableName is the rules' table.
func (Rule) TableName() string { return "federation_rules" }

// Store reads and writes the federation policy's rules. Reach it as
// Store.Policy.
type Store struct{ dbconn.Conn }

// List returns every rule, by kind then value.
func (s *Store) List(ctx context.Context) ([]Rule, error) {
	var out []Rule
	err := s.DB.WithContext(ctx).Order("kind, value").Find(&out).Error
	return out, dbconn.Translate(err, "list federation rules")
}

// Add stores the rule, and for a block, removes in the same transaction
// the follows, both ways, between the node's actors and the blocked
// domain's actors (or the blocked actor); it returns how many follows it
// removed. It returns an error wrapping dbconn.ErrConflict when the rule
// is there already, changing nothing.
func (s *Store) Add(ctx context.Context, r *Rule) (removed int64, err error) {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.Now().UTC()
	}
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(r)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return dbconn.ErrConflict
		}
		who := blocked(r.Kind)
		if who == "" {
			return nil
		}
		if err := s.touch(tx, who, r.Value); err != nil {
			return err
		}
		res = tx.Exec("DELETE FROM follows WHERE actor_id IN ("+who+") OR target_id IN ("+who+")", r.Value, r.Value)
		removed = res.RowsAffected
		return res.Error
	})
	return removed, dbconn.Translate(err, "add federation rule %s %q", r.Kind, r.Value)
}

// Remove deletes the rule of that kind and value, or returns
// dbconn.ErrNotFound.
func (s *Store) Remove(ctx context.Context, kind, value string) error {
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("kind = ? AND value = ?", kind, value).Delete(&Rule{})
		if res.Error == nil && res.RowsAffected == 0 {
			return dbconn.ErrNotFound
		}
		if who := blocked(kind); who != "" && res.Error == nil {
			return s.touch(tx, who, value)
		}
		return res.Error
	})
	return dbconn.Translate(err, "remove federation rule %s %q", kind, value)
}

// blocked is the subquery of the remote actors a block of that kind
// names (its one argument the rule's value), "" for an allow.
func blocked(kind string) string {
	switch kind {
	case KindBlock:
		return "SELECT id FROM actors WHERE host = ? AND local = false"
	case KindBlockActor:
		return "SELECT id FROM actors WHERE iri = ? AND local = false"
	}
	return ""
}

// touch marks the case studies of the actors who names changed now, so
// that the feeds, whose ETag and Last-Modified follow the last change,
// show them gone, or back.
func (s *Store) touch(tx *gorm.DB, who, value string) error {
	return tx.Exec("UPDATE case_studies SET updated_at = ? WHERE actor_id IN ("+who+")", dbconn.DBTime(s.Now()), value).Error
}
