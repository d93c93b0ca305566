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
	// KindMode marks the allowlist mode (its Value is ModeAllowlist) for
	// the reads: the node writes it from its configuration (SetMode), so
	// that HiddenActorIDs hides the domains not on the list.
	KindMode = "mode"
	// ModeAllowlist is the Value of the KindMode rule.
	ModeAllowlist = "allowlist"
)

// The audit log's actions of the federation policy.
const (
	AuditBlocked    = "blocked"
	AuditUnblocked  = "unblocked"
	AuditAllowed    = "allowed"
	AuditDisallowed = "disallowed"
)

// HiddenActorIDs is a SQL subquery of the ids of the actors whose content
// is hidden: the actors of the blocked domains, the blocked actors and, in
// the allowlist mode (the KindMode rule), the remote actors of every
// domain not on the list. Reads of remote content add "actor_id NOT IN
// (" + HiddenActorIDs + ")"; it starts from the rules, so it costs next to
// nothing when there are none.
const HiddenActorIDs = "SELECT actors.id FROM federation_rules JOIN actors ON actors.host = federation_rules.value WHERE federation_rules.kind = 'block'" +
	" UNION SELECT actors.id FROM federation_rules JOIN actors ON actors.iri = federation_rules.value WHERE federation_rules.kind = 'block-actor'" +
	" UNION SELECT actors.id FROM federation_rules JOIN actors ON actors.local = false WHERE federation_rules.kind = 'mode' AND federation_rules.value = 'allowlist'" +
	" AND actors.host NOT IN (SELECT value FROM federation_rules WHERE kind = 'allow')"

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
		if err := s.touch(tx, r.Kind, r.Value); err != nil {
			return err
		}
		who := blocked(r.Kind)
		if who == "" {
			return nil
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
		if res.Error != nil {
			return res.Error
		}
		return s.touch(tx, kind, value)
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

// touch marks the case studies of the actors a rule of that kind and
// value names (a block's, or an allowed domain's, which the allowlist
// mode shows or hides) changed now, so that the feeds, whose ETag and
// Last-Modified follow the last change, show them gone, or back.
func (s *Store) touch(tx *gorm.DB, kind, value string) error {
	who := blocked(kind)
	if kind == KindAllow {
		who = blocked(KindBlock)
	}
	if who == "" {
		return nil
	}
	return tx.Exec("UPDATE case_studies SET updated_at = ? WHERE actor_id IN ("+who+")", dbconn.DBTime(s.Now()), value).Error
}

// SetMode writes the allowlist mode's KindMode rule (allowlist true) or
// removes it, and reports whether that changed anything; a change marks
// every remote case study changed, as touch does. The node calls it
// from its configuration when it loads the policy.
func (s *Store) SetMode(ctx context.Context, allowlist bool) (changed bool, err error) {
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		var res *gorm.DB
		if allowlist {
			res = tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&Rule{Kind: KindMode, Value: ModeAllowlist, CreatedAt: s.Now().UTC()})
		} else {
			res = tx.Where("kind = ?", KindMode).Delete(&Rule{})
		}
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		changed = true
		return tx.Exec("UPDATE case_studies SET updated_at = ? WHERE actor_id IN (SELECT id FROM actors WHERE local = false)", dbconn.DBTime(s.Now())).Error
	})
	return changed, dbconn.Translate(err, "set the federation mode")
}
