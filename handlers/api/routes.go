// Package api is Pollen's JSON API under /api/v1: case studies, the feed,
// follows and followers, the delivery queue, and the admin token that the
// writing routes need. Its views are the JSON answers; the service builds
// them from domain values.
package api

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/service"
)

// CaseStudies are the use cases on case studies. They return a not found
// error for an unknown slug, Unprocessable naming bad fields, Conflict for
// a slug taken and Gone for a deleted case study; SearchFeed, Invalid for
// a search or filter it cannot read.
type CaseStudies interface {
	ListCaseStudies(ctx context.Context, f service.CaseStudyFilter) (service.CaseStudyList, error)
	SearchFeed(ctx context.Context, f service.FeedQuery) (service.FeedResult, error)
	CaseStudy(ctx context.Context, slug string) (service.CaseStudyView, error)
	PublishCaseStudy(ctx context.Context, in service.CaseStudyInput) (service.CaseStudyView, error)
	UpdateCaseStudy(ctx context.Context, slug string, in service.CaseStudyInput) (service.CaseStudyView, error)
	DeleteCaseStudy(ctx context.Context, slug string) error
}

// Follows are the use cases on the node's follows and followers. They
// return a not found error for an unknown id and the fetch errors of a
// target that cannot be resolved.
type Follows interface {
	Follow(ctx context.Context, target string) (federation.FollowView, error)
	Following(ctx context.Context, limit, offset int) (federation.FollowList, error)
	Followers(ctx context.Context, state string, limit, offset int) (federation.FollowList, error)
	UnfollowByID(ctx context.Context, id int64) error
	ApproveFollower(ctx context.Context, id int64) (federation.FollowView, error)
	RejectFollower(ctx context.Context, id int64) (federation.FollowView, error)
}

// Queue shows the delivery queue; it returns Invalid for an unknown state
// or a bad limit.
type Queue interface {
	Queue(ctx context.Context, state string, limit int) (federation.QueueView, error)
}

// Tokens checks admin tokens: Unauthorized for a missing, unknown or
// revoked one.
type Tokens interface {
	Authenticate(ctx context.Context, token string) error
}

// Handler answers the JSON API's routes.
type Handler struct {
	cases   CaseStudies
	follows Follows
	queue   Queue
	tokens  Tokens
}

// New builds the JSON API over its services.
func New(cases CaseStudies, follows Follows, queue Queue, tokens Tokens) *Handler {
	return &Handler{cases: cases, follows: follows, queue: queue, tokens: tokens}
}

// Mount registers the JSON API's routes on e, under /api/v1; the writing
// routes and the admin views need an admin token.
func (h *Handler) Mount(e *echo.Echo) {
	api := e.Group("/api/v1")
	api.GET("/case-studies", h.listCaseStudies)
	api.GET("/case-studies/:slug", h.getCaseStudy)
	api.GET("/feed", h.feed)
	// The token is each route's own: a group's middleware would also
	// answer every unknown path under /api/v1 (with 401, not 404).
	admin := RequireToken(h.tokens)
	api.POST("/case-studies", h.createCaseStudy, admin)
	api.PUT("/case-studies/:slug", h.updateCaseStudy, admin)
	api.DELETE("/case-studies/:slug", h.deleteCaseStudy, admin)
	api.POST("/follows", h.createFollow, admin)
	api.GET("/follows", h.listFollowing, admin)
	api.DELETE("/follows/:id", h.deleteFollow, admin)
	api.GET("/followers", h.listFollowers, admin)
	api.POST("/followers/:id/approve", h.approveFollower, admin)
	api.POST("/followers/:id/reject", h.rejectFollower, admin)
	api.GET("/queue", h.queueView, admin)
}
