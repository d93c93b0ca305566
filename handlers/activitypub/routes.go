// Package activitypub is the node's ActivityPub surface: the actors and
// their collections, the outbox, the inboxes, a case study's
// ActivityStreams form and its replies, and discovery (WebFinger,
// NodeInfo, host-meta). The documents are built in federation; this
// package reads the request, asks for them and writes them.
package activitypub

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/discovery"
	"github.com/pollen-coop/pollen/federation/doccache"
	"github.com/pollen-coop/pollen/handlers/request"
)

// Documents are the ActivityStreams and discovery documents the node
// serves. Each method returns a not found error for what is not here.
type Documents interface {
	ActorDocument(ctx context.Context, handle string) (federation.ActorDocument, error)
	// Cache keeps the actor's document and the case studies', encoded;
	// a change invalidates it.
	Cache() *doccache.Cache
	FollowCollection(ctx context.Context, handle, which string) (federation.Collection, error)
	FeaturedCollection(ctx context.Context, handle string) (federation.Collection, error)
	// ActorOutbox is the outbox of the organisation or of a hub's topic
	// actor.
	ActorOutbox(ctx context.Context, handle string, page int) (federation.Collection, error)
	CaseStudyDocument(ctx context.Context, slug string) (doc any, gone bool, err error)
	NoteDocument(ctx context.Context, id string) (doc any, gone bool, err error)
	RepliesCollection(ctx context.Context, slug string, page int) (federation.Collection, error)
	WebFinger(ctx context.Context, resource string) (discovery.JRD, error)
	HostMeta() string
	NodeInfoLinks() map[string][]discovery.Link
	NodeInfo(ctx context.Context, version string) (discovery.NodeInfo, error)
}

// Signatures checks an inbox request's HTTP signature before its body is
// read; it returns the refusal's error (unauthorized, invalid).
type Signatures interface {
	VerifySignature(ctx context.Context, r *http.Request) (federation.Signed, error)
}

// Inbox stores a received activity whose signature was checked; it
// returns the refusal's error (invalid, forbidden, conflict, too many).
type Inbox interface {
	ReceiveActivity(ctx context.Context, signed federation.Signed, body []byte) error
}

// Handler answers the ActivityPub routes.
type Handler struct {
	cfg    config.Config
	actors request.LocalActors
	docs   Documents
	sigs   Signatures
	inbox  Inbox
	// bodies bounds the inbox bodies read at once.
	bodies *bodySlots
}

// New builds the ActivityPub surface over its services, with the node's
// configuration cfg (the one they were made with).
func New(cfg config.Config, actors request.LocalActors, docs Documents, sigs Signatures, inbox Inbox) *Handler {
	return &Handler{cfg: cfg, actors: actors, docs: docs, sigs: sigs, inbox: inbox, bodies: newBodySlots(cfg.InboxConcurrency)}
}

// Mount registers the ActivityPub routes on e, but for a case study's IRI,
// which it shares with the web pages: routes.go in package handlers
// serves CaseStudy there, by the Accept header.
func (h *Handler) Mount(e *echo.Echo) {
	fold := request.FoldHandle(h.cfg, h.actors)

	// Discovery.
	e.GET("/.well-known/webfinger", h.webfinger)
	e.GET("/.well-known/nodeinfo", h.nodeinfoLinks)
	e.GET("/.well-known/host-meta", h.hostMeta)
	e.GET("/nodeinfo/:version", h.nodeinfo)

	// Actors, their collections and inboxes.
	e.GET("/actors/:handle", h.actor, fold)
	e.GET("/actors/:handle/outbox", h.outbox, fold)
	e.GET("/actors/:handle/followers", h.followers, fold)
	e.GET("/actors/:handle/following", h.following, fold)
	e.GET("/actors/:handle/featured", h.featured, fold)
	e.POST("/inbox", h.receive)
	e.POST("/actors/:handle/inbox", h.receive)

	// Case studies' discussions.
	e.GET("/case-studies/:slug/replies", h.replies)
}
