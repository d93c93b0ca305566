// Package mastoapi is the Mastodon client API: the routes that Mastodon
// apps (Elk, Phanpy, Tusky, toot, Mastodon.py…) call, under /api/v1 and
// /api/v2, answering with Mastodon's entities, which live here as wire
// types (entity_*.go). It reads the organisation and its counts through
// the small interfaces below; it builds no view from the database.
package mastoapi

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/discovery"
	"github.com/pollen-coop/pollen/federation/doccache"
	"github.com/pollen-coop/pollen/federation/profile"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// Profile gives the organisation's stored actor; it returns a not found
// error before the actor exists.
type Profile interface {
	LocalActor(ctx context.Context) (federation.ActorRecord, error)
	NodeProfile() profile.Profile
}

// Documents are the documents the instance is told from: the actor's
// (for its profile fields and icon) and NodeInfo (for the counts). They
// return a not found error for an unknown handle or version.
type Documents interface {
	ActorDocument(ctx context.Context, handle string) (federation.ActorDocument, error)
	NodeInfo(ctx context.Context, version string) (discovery.NodeInfo, error)
}

// Follows are the organisation's follows both ways (federation.Follows):
// Following and Followers count them; Follow sends a Follow to target (an
// actor's IRI), 422 for the node itself; UnfollowByID sends the Undo of
// the organisation's follow id and forgets it; ApproveFollower and
// RejectFollower answer the follow id of a follower with an Accept or a
// Reject. The last three return federation.ErrNotFound for an unknown
// follow; all of them the store's errors.
type Follows interface {
	Following(ctx context.Context, limit, offset int) (federation.FollowList, error)
	Followers(ctx context.Context, state string, limit, offset int) (federation.FollowList, error)
	Follow(ctx context.Context, target string) (federation.FollowView, error)
	UnfollowByID(ctx context.Context, id int64) error
	ApproveFollower(ctx context.Context, id int64) (federation.FollowView, error)
	RejectFollower(ctx context.Context, id int64) (federation.FollowView, error)
}

// Handler answers the Mastodon client API's routes.
type Handler struct {
	cfg      config.Config
	profile  Profile
	docs     Documents
	follows  Follows
	accounts Accounts
	scopes   Scopes
	// statusSource is set by WithStatuses.
	statusSource Statuses
	// searcher is set by WithSearch.
	searcher Searcher
	// notes is set by WithNotifications.
	notes Notifications
	// orgCache keeps the organisation's Account shown on its statuses.
	orgCache *accountCache
	// pageCache keeps the encoded pages of the timelines (answerPage);
	// set by WithStatuses.
	pageCache *doccache.Cache
}

// New builds the Mastodon client API over its services; scopes checks
// the user token of the routes that need one.
func New(cfg config.Config, profile Profile, docs Documents, follows Follows, accounts Accounts, scopes Scopes) *Handler {
	return &Handler{cfg: cfg, profile: profile, docs: docs, follows: follows, accounts: accounts, scopes: scopes, orgCache: &accountCache{}}
}

// WithStatuses gives h the case studies it shows as statuses (needed
// before Mount); it returns h.
func (h *Handler) WithStatuses(s Statuses) *Handler {
	h.statusSource = s
	if s != nil {
		h.pageCache = doccache.New(doccache.WithChanges(s.Changes), doccache.WithMaxAge(pageMaxAge))
	}
	return h
}

// pageMaxAge bounds how long a page of a timeline is served from the
// page cache: how late a status stored by another process (the command
// line, a second server on the same database) may show. A change made by
// this process shows at once.
const pageMaxAge = 2 * time.Second

// Mount registers the Mastodon client API's routes on e, and a JSON 404
// for every other path under /api.
func (h *Handler) Mount(e *echo.Echo) {
	e.GET("/api/v1/instance", h.instanceV1)
	e.GET("/api/v2/instance", h.instanceV2)

	// What clients call at start-up: nothing here yet, and no token needed.
	for _, path := range []string{"/api/v1/custom_emojis", "/api/v1/trends", "/api/v1/trends/tags",
		"/api/v1/trends/statuses", "/api/v1/announcements"} {
		e.GET(path, emptyList)
	}
	// The same, for a user: a token with the scope Mastodon asks for (read
	// grants each of them).
	for path, scope := range map[string]string{"/api/v1/lists": "read:lists", "/api/v1/filters": "read:filters",
		"/api/v2/filters": "read:filters", "/api/v1/followed_tags": "read:follows"} {
		e.GET(path, emptyList, h.scopes.Require(scope))
	}
	e.GET("/api/v1/preferences", preferences, h.scopes.Require("read:accounts"))
	e.GET("/api/v1/accounts/verify_credentials", h.verifyCredentials, h.scopes.Require("profile"))
	e.GET("/api/v1/accounts/lookup", h.lookupAccount)
	e.GET("/api/v1/accounts/relationships", h.relationships, h.scopes.Require("read:follows"))
	e.GET("/api/v1/accounts/:id", h.getAccount)
	f := followRoutes{h}
	e.POST("/api/v1/accounts/:id/follow", f.follow, h.scopes.Require("write:follows"), adminUser)
	e.POST("/api/v1/accounts/:id/unfollow", f.unfollow, h.scopes.Require("write:follows"), adminUser)
	e.GET("/api/v1/accounts/:id/followers", f.accountFollowers)
	e.GET("/api/v1/accounts/:id/following", f.accountFollowing)
	e.GET("/api/v1/follow_requests", f.followRequests, h.scopes.Require("read:follows"))
	e.POST("/api/v1/follow_requests/:id/authorize", f.authorizeFollower, h.scopes.Require("write:follows"), adminUser)
	e.POST("/api/v1/follow_requests/:id/reject", f.rejectFollower, h.scopes.Require("write:follows"), adminUser)

	tr := timelineRoutes{h}
	e.GET("/api/v1/accounts/:id/statuses", tr.accountStatuses)
	e.GET("/api/v1/timelines/public", tr.timelinePublic)
	e.GET("/api/v1/timelines/home", tr.timelineHome, h.scopes.Require("read:statuses"))
	e.GET("/api/v1/timelines/tag/:hashtag", tr.timelineTag)
	e.GET("/api/v1/statuses/:id", h.statusGet)
	e.GET("/api/v1/statuses/:id/context", tr.statusContext)

	e.POST("/api/v1/statuses", h.statusPost, h.scopes.Require("write:statuses"))
	e.DELETE("/api/v1/statuses/:id", h.statusDelete, h.scopes.Require("write:statuses"))

	e.GET("/api/v2/search", h.search, h.optionalToken("read:search"))

	nr := notificationRoutes{h}
	e.GET("/api/v1/notifications", nr.notificationsList, h.scopes.Require("read:notifications"))
	e.POST("/api/v1/notifications/clear", nr.notificationsClear, h.scopes.Require("write:notifications"))
	e.GET("/api/v1/notifications/:id", nr.notificationGet, h.scopes.Require("read:notifications"))
	e.POST("/api/v1/notifications/:id/dismiss", nr.notificationDismiss, h.scopes.Require("write:notifications"))
	e.GET("/api/v1/markers", nr.markersGet, h.scopes.Require("read:statuses"))
	e.POST("/api/v1/markers", nr.markersSet, h.scopes.Require("write:statuses"))

	e.RouteNotFound("/api/*", notFound)
}

// notFound answers a path under /api that no route serves: a JSON 404,
// whatever the token, so that a client's fallback logic sees a missing
// route rather than a locked API.
func notFound(c echo.Context) error {
	return apperr.Errorf(apperr.NotFound, "no such API route: %s %s", c.Request().Method, c.Request().URL.Path)
}
