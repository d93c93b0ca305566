package federation

import (
	"errors"
	"net/http"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
)

// isGoneSelfDelete reports whether a request whose signature could not be
// checked (verifyErr) is an actor's Delete of itself, signed with a key that
// now answers 410 Gone: what Mastodon sends when an account is deleted, and
// retries for days if refused. Such a request is answered 202 and changes
// nothing: with the key gone, nothing says who sent it. (When the key is
// cached and the signature verifies with it, the Delete is processed as any
// other, and removes what the node holds of the actor.)
// It must be the actor deleting itself, its id and its key on the actor's
// origin; any other request signed with a gone key stays refused.
func isGoneSelfDelete(r *http.Request, body []byte, verifyErr error) bool {
	if !errors.Is(verifyErr, models.ErrGone) {
		return false
	}
	p, err := httpsig.ParseSignature(r.Header.Get("Signature"))
	if err != nil {
		return false
	}
	act, err := parseActivity(body)
	if err != nil {
		return false
	}
	return act.Type == "Delete" && act.Actor != "" && act.Object.IRI == act.Actor &&
		ap.SameOrigin(act.ID, act.Actor) && sameHost(p.KeyID, act.Actor)
}
