package federation

import (
	"context"
	"errors"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// checkOwner refuses, at receipt, a Create, Update or Delete of an object
// this node stores as another actor's: a reply or a case study belongs to
// its author and an actor to itself, whatever host they share with the
// signer. It reports whether the object is a reply or case study of the
// signer's, and returns a 403 *apperr.Error naming the object, and store errors.
func (s *Inbox) checkOwner(ctx context.Context, act ap.Activity, signer models.Actor) (owned bool, err error) {
	switch act.Type {
	case "Create", "Update", "Delete":
	default:
		return false, nil
	}
	owner, err := s.store.Actors.OwnerOf(ctx, act.Object.IRI)
	if errors.Is(err, models.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if owner.ActorID != signer.ID {
		return false, apperr.Errorf(apperr.Forbidden, "the %s %s belongs to another actor: %s may not %s it",
			owner.Kind, quote(act.Object.IRI), signer.IRI, act.Type)
	}
	return owner.Kind != models.KindActor, nil
}
