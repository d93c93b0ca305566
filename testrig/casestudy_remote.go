package testrig

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// RemoteCaseStudy is a case study by a remote actor, for
// SaveRemoteCaseStudy.
type RemoteCaseStudy struct {
	// Host, Handle and Name are the author's; the author's IRI is
	// https://Host/users/Handle.
	Host, Handle, Name string
	// Title names the case study; its IRI is https://Host/articles/ and
	// the title in lower case with hyphens, its page https://Host/cs/ and
	// the same.
	Title, Summary, ServiceArea string
	Tags                        []string
	Published                   time.Time
	// The fields a full case study has besides: Content is sanitised
	// HTML; Image, the URL of an image attached (on the peer, named
	// "Photo of the team").
	Region, Stage, Content string
	Outcomes, Lessons      []string
	Image                  string
}

// SaveRemoteCaseStudy stores r, straight in n's store, with its author,
// as the inbox does after a Create of an Article.
func (n *Node) SaveRemoteCaseStudy(t testing.TB, r RemoteCaseStudy) {
	t.Helper()
	ctx := context.Background()
	iri := "https://" + r.Host + "/users/" + r.Handle
	actor := models.Actor{
		IRI: iri, Type: "Organization", Handle: r.Handle, Host: r.Host, Name: r.Name,
		Inbox: iri + "/inbox", KeyID: iri + "#main-key", PublicKeyPEM: "PUBLIC",
	}
	if err := n.Store.Actors.UpsertRemote(ctx, &actor); err != nil {
		t.Fatal(err)
	}
	slug := strings.ReplaceAll(strings.ToLower(r.Title), " ", "-")
	c := models.CaseStudy{
		IRI: "https://" + r.Host + "/articles/" + slug, ActorID: actor.ID, URL: "https://" + r.Host + "/cs/" + slug,
		Title: r.Title, Summary: r.Summary, ServiceArea: r.ServiceArea, Tags: models.StringList(r.Tags),
		Published: r.Published, Updated: r.Published,
		Region: r.Region, Stage: r.Stage, Content: r.Content, Outcomes: r.Outcomes, Lessons: r.Lessons,
	}
	if r.Image != "" {
		c.Attachments = models.AttachmentList{{URL: r.Image, MediaType: "image/jpeg", Name: "Photo of the team"}}
	}
	if err := n.Store.CaseStudies.Create(ctx, &c); err != nil {
		t.Fatal(err)
	}
}
