package testrig

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// SeedTimeline fills n's store, straight and in bulk, with statuses case
// studies and notes (alternately) by accounts remote actors that the
// organisation follows (accepted follows), one every ten minutes back
// from 1 January 2025, a tenth of them the organisation's own. The rows go
// in through Store.CreateStatuses, in one transaction. It returns them,
// their status ids set.
func (n *Node) SeedTimeline(t testing.TB, accounts, statuses int) models.StatusBatch {
	t.Helper()
	ctx := context.Background()
	org, err := n.Store.Actors.Local(ctx, n.Config.Handle)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, accounts)
	for i := range accounts {
		iri := fmt.Sprintf("https://peer%d.example/users/org", i)
		a := models.Actor{IRI: iri, Type: "Organization", Handle: "org", Host: fmt.Sprintf("peer%d.example", i),
			Name: fmt.Sprintf("Peer %d", i), Inbox: iri + "/inbox", KeyID: iri + "#main-key", PublicKeyPEM: "PUBLIC"}
		if err := n.Store.Actors.UpsertRemote(ctx, &a); err != nil {
			t.Fatal(err)
		}
		f := models.Follow{ActivityID: iri + "/follows/seed", ActorID: org.ID, TargetID: a.ID, Outbound: true, State: models.FollowAccepted}
		if err := n.Store.Follows.Save(ctx, &f); err != nil {
			t.Fatal(err)
		}
		ids[i] = a.ID
	}
	b := SeedStatuses(org.ID, ids, statuses)
	if err := n.Store.CreateStatuses(ctx, b); err != nil {
		t.Fatal(err)
	}
	return b
}

// SeedStatuses are count statuses, case studies and notes alternately,
// one every ten minutes back from 1 January 2025, by the actors ids in
// turn, every tenth by local (the organisation, whose case studies are
// Local).
func SeedStatuses(local int64, ids []int64, count int) models.StatusBatch {
	var b models.StatusBatch
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	areas := []string{"libraries", "leisure", "waste", "housing", "transport"}
	for i := range count {
		at := start.Add(-time.Duration(i) * 10 * time.Minute)
		author, isLocal := ids[i%len(ids)], i%10 == 0
		if isLocal {
			author = local
		}
		iri := fmt.Sprintf("https://seed.example/statuses/%d", i)
		if i%2 == 0 {
			c := models.CaseStudy{IRI: iri, ActorID: author, Local: isLocal, URL: iri, Title: fmt.Sprintf("Case study %d", i),
				Summary: "What a council learnt.", ServiceArea: areas[i%len(areas)], Tags: models.StringList{"mutuals"},
				Published: at, Updated: at}
			if isLocal {
				slug := fmt.Sprintf("seed-%d", i)
				c.Slug = &slug
			}
			b.CaseStudies = append(b.CaseStudies, c)
			continue
		}
		b.Notes = append(b.Notes, models.Note{IRI: iri, ActorID: author, Local: isLocal, URL: iri, Visibility: models.VisibilityPublic,
			Content: fmt.Sprintf("<p>Note %d #%s</p>", i, areas[i%len(areas)]), Hashtags: models.StringList{areas[i%len(areas)]},
			Published: at, Updated: at})
	}
	return b
}
