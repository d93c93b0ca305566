package fetch

import (
	"context"
	"slices"
	"strings"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
)

// Found is what a search names: an actor, or an object with its author.
type Found struct {
	// Actor is the actor named, or the object's author; fetched and
	// stored either way.
	Actor models.Actor
	// Object is the object named, nil for an actor. It is not stored:
	// what to keep of it depends on its type.
	Object *ap.Object
}

// Lookup finds what a person types into a search: a handle ("@user@host",
// "user@host", the port included) is resolved as ResolveHandle resolves
// it; a URL is fetched as Document fetches it (its size and time bounded
// alike). A URL answering with an actor gives that actor, fetched as
// FetchActor fetches it; one answering with another object gives the
// object, whose id must be of the URL's origin and which must be
// attributed to an actor of its own origin, with that author (fetched as
// LookupActor does). It returns ResolveHandle's and Document's errors, an
// ErrBadAnswer *Error for a document that is not such an object, and the
// store's errors.
func (f *Fetcher) Lookup(ctx context.Context, query string) (Found, error) {
	query = strings.TrimSpace(query)
	if !strings.HasPrefix(query, "https://") && !strings.HasPrefix(query, "http://") {
		a, err := f.ResolveHandle(ctx, query)
		return Found{Actor: a}, err
	}
	resp, err := f.Document(ctx, query)
	if err != nil {
		return Found{}, err
	}
	obj, err := ap.ParseObject(resp.Body)
	if err != nil {
		return Found{}, badAnswer(query+" is not an ActivityStreams object", err)
	}
	if !ap.SameOrigin(obj.ID, query) {
		return Found{}, badAnswer(query+" answered with a document whose id, "+httpsig.Quote(obj.ID)+", is on another origin", nil)
	}
	if slices.ContainsFunc(obj.Types, IsActorType) {
		a, err := f.FetchActor(ctx, obj.ID)
		return Found{Actor: a}, err
	}
	if obj.AttributedTo == "" || !ap.SameOrigin(obj.AttributedTo, obj.ID) {
		return Found{}, badAnswer(obj.ID+" is not attributed to an actor of its origin", nil)
	}
	author, err := f.LookupActor(ctx, obj.AttributedTo)
	if err != nil {
		return Found{}, err
	}
	return Found{Actor: author, Object: &obj}, nil
}
