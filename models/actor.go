package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pollen-coop/pollen/models/casesearch"
)

// Actor is an ActivityPub actor: one of this node's own (Local, with its
// private key) or a remote one cached from its document. Never serialise a
// row: it holds private keys.
type Actor struct {
	ID                        int64  `gorm:"primaryKey"`
	IRI                       string `gorm:"uniqueIndex;not null"`
	Local                     bool   `gorm:"not null;default:false;index"`
	Type                      string `gorm:"not null"`
	Handle                    string `gorm:"index:idx_actor_handle_host"`
	Host                      string `gorm:"index:idx_actor_handle_host"`
	Name                      string
	Summary                   string
	URL                       string
	IconURL                   string
	Inbox                     string
	SharedInbox               string
	Outbox                    string
	Followers                 string
	Following                 string
	KeyID                     string `gorm:"index"`
	PublicKeyPEM              string
	PrivateKeyPEM             string
	OrgType                   string
	Region                    string
	ServiceArea               string
	ManuallyApprovesFollowers bool
	Discoverable              bool
	Indexable                 bool
	// Raw is the remote actor's document as last fetched.
	Raw       string
	Published time.Time
	FetchedAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ActorStore reads and writes actors, this node's own and the remote ones
// it knows, and answers what ties an actor to the rest of the database:
// its relation to this node, the objects it owns, its content. Reach it as
// Store.Actors.
type ActorStore struct{ conn }

// Local returns this node's actor with the given handle, or ErrNotFound.
func (s *ActorStore) Local(ctx context.Context, handle string) (Actor, error) {
	var a Actor
	err := s.db.WithContext(ctx).Where("local = ? AND handle = ?", true, handle).First(&a).Error
	return a, translate(err, "get local actor %q", handle)
}

// ListLocal returns every actor of this node, oldest first.
func (s *ActorStore) ListLocal(ctx context.Context) ([]Actor, error) {
	var as []Actor
	err := s.db.WithContext(ctx).Where("local = ?", true).Order("id").Find(&as).Error
	return as, translate(err, "list local actors")
}

// ByIRI returns the actor with the given IRI, or ErrNotFound.
func (s *ActorStore) ByIRI(ctx context.Context, iri string) (Actor, error) {
	var a Actor
	err := s.db.WithContext(ctx).Where("iri = ?", iri).First(&a).Error
	return a, translate(err, "get actor %q", iri)
}

// IDsByIRI returns the ids of the actors with the IRIs, by IRI, in one
// query; an IRI no actor has is left out.
func (s *ActorStore) IDsByIRI(ctx context.Context, iris []string) (map[string]int64, error) {
	out := make(map[string]int64, len(iris))
	if len(iris) == 0 {
		return out, nil
	}
	var rows []struct {
		ID  int64
		IRI string
	}
	err := s.db.WithContext(ctx).Model(&Actor{}).Select("id, iri").Where("iri IN ?", iris).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "get actors by IRI")
	}
	for _, r := range rows {
		out[r.IRI] = r.ID
	}
	return out, nil
}

// ByKeyID returns the actor whose public key has the given ID, or
// ErrNotFound.
func (s *ActorStore) ByKeyID(ctx context.Context, keyID string) (Actor, error) {
	var a Actor
	err := s.db.WithContext(ctx).Where("key_id = ?", keyID).First(&a).Error
	return a, translate(err, "get actor by key %q", keyID)
}

// Create inserts a new actor; ErrConflict if its IRI is taken.
func (s *ActorStore) Create(ctx context.Context, a *Actor) error {
	return translate(s.db.WithContext(ctx).Create(a).Error, "create actor %q", a.IRI)
}

// Save updates every field of an existing actor.
func (s *ActorStore) Save(ctx context.Context, a *Actor) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Save(a).Error; err != nil {
			return err
		}
		return casesearch.Rename(tx, a.ID, a.Name)
	})
	return translate(err, "save actor %q", a.IRI)
}

// UpsertRemote inserts a remote actor or replaces the cached copy with
// the same IRI, and fills in a.ID.
func (s *ActorStore) UpsertRemote(ctx context.Context, a *Actor) error {
	a.Local = false
	a.PrivateKeyPEM = ""
	return s.tx(ctx, func(tx *gorm.DB) error {
		err := tx.Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "iri"}},
			DoUpdates: clause.AssignmentColumns([]string{
				"type", "handle", "host", "name", "summary", "url", "icon_url", "inbox",
				"shared_inbox", "outbox", "followers", "following", "key_id", "public_key_pem",
				"org_type", "region", "service_area", "manually_approves_followers",
				"discoverable", "indexable", "raw", "published", "fetched_at", "updated_at",
			}),
			Where: clause.Where{Exprs: []clause.Expression{clause.Eq{Column: clause.Column{Table: "actors", Name: "local"}, Value: false}}},
		}).Create(a).Error
		if err != nil {
			return translate(err, "upsert actor %q", a.IRI)
		}
		var row Actor
		if err := tx.Select("id").Where("iri = ?", a.IRI).First(&row).Error; err != nil {
			return translate(err, "upsert actor %q", a.IRI)
		}
		a.ID = row.ID
		return translate(casesearch.Rename(tx, a.ID, a.Name), "upsert actor %q", a.IRI)
	})
}

// ByAcct returns the actor known as handle@host (the handle in any case,
// host lower-case, port included), or ErrNotFound.
func (s *ActorStore) ByAcct(ctx context.Context, handle, host string) (Actor, error) {
	var a Actor
	err := s.db.WithContext(ctx).Where(s.lower("handle")+" = ? AND host = ?", strings.ToLower(handle), strings.ToLower(host)).
		Order("id").First(&a).Error
	return a, translate(err, "get actor %s@%s", handle, host)
}

// ByID returns the actor with the given row ID, or ErrNotFound.
func (s *ActorStore) ByID(ctx context.Context, id int64) (Actor, error) {
	var a Actor
	err := s.db.WithContext(ctx).First(&a, id).Error
	return a, translate(err, "get actor %d", id)
}

// DeleteContentOf removes every note, announce and received case study by
// the actor (an actor that deleted itself), in one transaction: its notes
// and announces are deleted with their hashtags, the case studies left as tombstones emptied as CaseStudyStore.Delete
// empties one, contact details included. Running it again changes nothing.
func (s *ActorStore) DeleteContentOf(ctx context.Context, actorID int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		// The counts first, while the case studies' hashtags are there.
		if err := casesearch.ForgetActor(tx, actorID); err != nil {
			return translate(err, "delete case studies of actor %d", actorID)
		}
		for _, table := range []string{"notes", "case_studies"} {
			err := tx.Where("status_id IN (SELECT status_id FROM "+table+" WHERE actor_id = ?)", actorID).Delete(&StatusTag{}).Error
			if err != nil {
				return translate(err, "delete hashtags of actor %d", actorID)
			}
		}
		if err := tx.Where("actor_id = ?", actorID).Delete(&Note{}).Error; err != nil {
			return translate(err, "delete notes of actor %d", actorID)
		}
		if err := tx.Where("actor_id = ?", actorID).Delete(&Announce{}).Error; err != nil {
			return translate(err, "delete announces of actor %d", actorID)
		}
		if err := casesearch.UnindexActor(tx, actorID); err != nil {
			return translate(err, "delete case studies of actor %d", actorID)
		}
		err := tx.Model(&CaseStudy{}).Where("actor_id = ? AND local = ? AND deleted_at IS NULL", actorID, false).
			Updates(tombstoneColumns(s.now().UTC())).Error
		return translate(err, "delete case studies of actor %d", actorID)
	})
}

// actorsByID loads the actors with the given IDs in one query, by ID. It
// returns ErrNotFound if one is missing.
func (s conn) actorsByID(ctx context.Context, ids []int64) (map[int64]Actor, error) {
	out := make(map[int64]Actor, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var as []Actor
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&as).Error; err != nil {
		return nil, translate(err, "get actors")
	}
	for _, a := range as {
		out[a.ID] = a
	}
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			return nil, translate(ErrNotFound, "get actor %d", id)
		}
	}
	return out, nil
}
