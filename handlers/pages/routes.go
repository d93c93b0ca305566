// Package pages is the node's web surface: the organisation's page, the
// hashtag pages, a case study's page with its discussion, a received case
// study's page, a note's page, the feed page (a search of every case study
// the node holds, a hub's home page), the feeds (Atom, RSS and JSON Feed)
// of the node, of each hashtag and of the organisation, the static assets
// and the error page, rendered with the templates of package web.
package pages

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/profile"
	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/web"
)

// CaseStudies lists and reads case studies; CaseStudy returns a not found
// error for an unknown slug and Gone for a deleted one, ReceivedCaseStudy
// the same for a received one's status id; LastChange is when the node
// last stored a change to any (the feeds' Last-Modified); SearchFeed
// searches them all for the feed page (an Invalid error for a query it
// cannot read), FeedEvidence sums what they report for the evidence page
// and ExportFeed reads them all for the CSV download.
type CaseStudies interface {
	ListCaseStudies(ctx context.Context, f service.CaseStudyFilter) (service.CaseStudyList, error)
	CaseStudy(ctx context.Context, slug string) (service.CaseStudyView, error)
	ReceivedCaseStudy(ctx context.Context, id string) (service.CaseStudyView, error)
	LastChange(ctx context.Context) (time.Time, error)
	SearchFeed(ctx context.Context, f service.FeedQuery) (service.FeedResult, error)
	FeedEvidence(ctx context.Context, f service.FeedQuery) (service.Evidence, error)
	ExportFeed(ctx context.Context, f service.FeedQuery, start func(total int64) error, each func(service.FeedItem) error) error
}

// Replies reads a page of a case study's discussion: not found for a page
// past the last.
type Replies interface {
	Replies(ctx context.Context, slug string, n int) (federation.ReplyPage, error)
}

// Profile is the organisation the pages present: its stored actor, the
// IRI of an actor, and its profile as it is now.
type Profile interface {
	LocalActor(ctx context.Context) (federation.ActorRecord, error)
	ActorIRI(handle string) string
	NodeProfile() profile.Profile
}

// Handler answers the web pages' routes and renders the error page.
type Handler struct {
	cfg     config.Config
	actors  request.LocalActors
	cases   CaseStudies
	replies Replies
	profile Profile
	notes   Notes
	pages   *web.Pages
	// network is set by WithNetwork.
	network Network
}

// New builds the web surface over its services, with the node's
// configuration cfg and the node's page templates.
func New(cfg config.Config, pages *web.Pages, actors request.LocalActors, cases CaseStudies, replies Replies, profile Profile, notes Notes) *Handler {
	return &Handler{cfg: cfg, actors: actors, cases: cases, replies: replies, profile: profile, notes: notes, pages: pages}
}

// Mount registers the web pages' routes on e, but for the pages of a case
// study and of a note, whose IRIs it shares with the ActivityPub surface:
// routes.go in package handlers serves CaseStudy and Note there, by the
// Accept header. session is the middleware of the pages that know who is
// signed in (auth's Session): the directory, where an admin can follow a
// node.
func (h *Handler) Mount(e *echo.Echo, session ...echo.MiddlewareFunc) {
	e.GET("/", h.root)
	e.GET("/@:handle", h.home, request.FoldHandle(h.cfg, h.actors))
	e.GET("/tags/:tag", h.tag)
	for _, f := range feedFormats {
		e.GET("/feed"+f.Ext, h.regionalFeed(f))
	}
	e.GET(feedPath, h.feedPage)
	e.GET(feedPath+".csv", h.feedCSV)
	e.GET(evidencePath, h.evidence)
	e.GET("/feed/items/:id", h.received)
	e.GET("/topics/:handle", h.topic)
	e.GET("/directory", h.directoryPage, session...)
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", web.StaticHandler())))
}
