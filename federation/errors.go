package federation

import "github.com/pollen-coop/pollen/models"

// ErrNotFound and ErrGone are the store's sentinels, which the service's
// methods pass on (wrapped) for what is not there or has been deleted;
// callers test them with errors.Is. Every other failure a client must know
// of is an *apperr.Error (package internal/apperr), of the kind that
// answers it.
var (
	ErrNotFound = models.ErrNotFound
	ErrGone     = models.ErrGone
)

// FollowPending and FollowAccepted are the states a follow may be listed
// by (Followers, Following).
const (
	FollowPending  = models.FollowPending
	FollowAccepted = models.FollowAccepted
)

// ActorRecord is the stored actor LocalActor returns, named here so that
// the HTTP layer, which imports no models, can name what it receives.
type ActorRecord = models.Actor
