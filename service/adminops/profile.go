package adminops

import (
	"context"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/profile"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/service"
)

// ProfileUpdated is the audit log's action of a profile saved.
const ProfileUpdated = "profile updated"

// Profile is the organisation's profile as the admin area edits it:
// saved in the store with its audit entry, then put on the actor and sent
// to every follower as an Update.
type Profile struct {
	fed  *federation.Service
	live *profile.Live
}

// NewProfile makes the profile editing of the node fed.
func NewProfile(fed *federation.Service) *Profile {
	return &Profile{fed: fed, live: fed.Documents().Profile()}
}

// Current is the profile as the node shows it now.
func (p *Profile) Current() profile.Profile { return p.live.Current() }

// Save checks and saves the profile in (its icon kept as given), records
// it in the audit log with who acts (service.Acting), puts it on the
// organisation's actor, which invalidates the served documents, and
// queues its Update to every follower. It returns a 422 *apperr.Error
// naming each field that is wrong, changing nothing, or the store's
// error.
func (p *Profile) Save(ctx context.Context, in profile.Profile) (profile.Profile, error) {
	who := service.ActorOf(ctx)
	before, err := p.fed.LocalActor(ctx)
	if err != nil {
		return in, err
	}
	saved, err := p.live.Save(ctx, who.Name, in, func(tx *models.Store, s profile.Profile) error {
		return tx.Audit.Record(ctx, &models.AuditEntry{UserID: who.UserID, Who: who.Name, Action: ProfileUpdated, Title: s.Name})
	})
	if err != nil {
		return saved, err
	}
	// SyncProfile sends the Update when the actor changed; a change the
	// actor row does not hold (the website) is sent here.
	after, err := p.fed.SyncProfile(ctx)
	if err == nil && after == before {
		err = p.fed.SendProfileUpdate(ctx)
	}
	return saved, err
}

// Check trims and checks in as Save does, without saving: a 422
// *apperr.Error naming each field that is wrong.
func (p *Profile) Check(in profile.Profile) (profile.Profile, error) { return p.live.Check(in) }
