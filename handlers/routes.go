// Package handlers is Pollen's HTTP server: the middleware every request
// goes through, the one error handler, the operations routes, and the
// surfaces, each mounting its own routes. This file is the map from a URL
// to the file that answers it.
package handlers

import (
	"context"
	"log/slog"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/handlers/activitypub"
	"github.com/pollen-coop/pollen/handlers/admin"
	"github.com/pollen-coop/pollen/handlers/api"
	"github.com/pollen-coop/pollen/handlers/auth"
	"github.com/pollen-coop/pollen/handlers/mastoapi"
	"github.com/pollen-coop/pollen/handlers/oauth"
	"github.com/pollen-coop/pollen/handlers/pages"
	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/access"
	templates "github.com/pollen-coop/pollen/web"
)

// MaxBody is the largest request body accepted anywhere: 1 MiB.
const MaxBody = request.MaxBody

// Health is what the operations routes ask: whether the database answers
// and is migrated (Ready: an Unavailable error when not), and the queue's
// counts for the metrics.
type Health interface {
	Ready(ctx context.Context) error
	QueueCounts(ctx context.Context) (service.Counts, error)
}

// Documents are the documents the node serves: the ActivityPub surface's,
// and the pages of a case study's discussion.
type Documents interface {
	activitypub.Documents
	pages.Replies
}

// OAuth is the authorisation server (*access.OAuth): what the OAuth
// surface calls, the app names of the sign-in page, and the check of the
// bearer tokens of the Mastodon API.
type OAuth interface {
	oauth.OAuth
	auth.Apps
	request.AccessTokens
	oauth.UserTokens
}

// Statuses are the statuses the Mastodon client API reads and posts, and
// the notes the pages show.
type Statuses interface {
	mastoapi.Statuses
	pages.Notes
}

// Actors are the node's actors: whether a handle is local (for the
// request middleware) and the actors and follows the Mastodon client API
// shows.
type Actors interface {
	request.LocalActors
	mastoapi.Accounts
}

// CaseStudies are the case studies the JSON API publishes, edits and
// lists, the pages and feeds show, and the admin area manages
// (*service.CaseStudies).
type CaseStudies interface {
	api.CaseStudies
	pages.CaseStudies
	admin.CaseStudies
}

// Services are the values the surfaces call, one field per small
// interface the surface declares; node passes them.
type Services struct {
	Actors      Actors
	Documents   Documents
	Signatures  activitypub.Signatures
	Inbox       activitypub.Inbox
	CaseStudies CaseStudies
	Statuses    Statuses
	Search      mastoapi.Searcher
	// Notifications are the organisation's notifications and the users'
	// markers.
	Notifications mastoapi.Notifications
	Follows       api.Follows
	Queue         api.Queue
	Tokens        api.Tokens
	Profile       pages.Profile
	Health        Health
	Accounts      Accounts
	OAuth         OAuth
	// Admin is what the admin area lists: its dashboard, its case
	// studies, the audit log.
	Admin admin.Overview
	// Policy is the federation policy the admin area edits.
	Policy admin.Policy
	// Network is the network directory and a hub's topic actors.
	Network Network
	// AdminOps are what the admin area does beyond the case studies:
	// follows, the discussion, deliveries, users and tokens.
	AdminOps AdminOps
	// Media are the uploaded images and PDFs (*media.Store).
	Media Media
}

// Media are the uploaded images and PDFs: the admin area saves them,
// the pages serve them.
type Media interface {
	pages.Media
	admin.Uploads
}

// Network is what the node knows of the network: the directory the
// Mastodon API and the pages list, a hub's topics the pages show.
type Network interface {
	mastoapi.Directory
	pages.Network
}

// AdminOps are the admin area's services beyond the case studies
// (service/adminops), as node passes them.
type AdminOps = admin.Operations

// Accounts are the staff's accounts (*access.Accounts): signing in, and
// whether any account exists yet (for the admin area's first run).
type Accounts interface {
	auth.Accounts
	admin.Users
}

// Handler holds what the middleware, the error handler and the operations
// routes need.
type Handler struct {
	cfg     config.Config
	log     *slog.Logger
	health  Health
	pages   *pages.Handler
	metrics *metrics
}

// New builds the HTTP server of a node over its services s, with the
// node's configuration cfg (the one they were made with): every route, the
// middleware and the error handler. It returns an error when the page
// templates do not parse.
func New(cfg config.Config, s Services, log *slog.Logger) (*echo.Echo, error) {
	// One set of page templates for every surface: the layout and
	// partials parsed once, each page on its first use.
	tmpl, err := templates.NewPages()
	if err != nil {
		return nil, err
	}
	fed, web, signIn, authz := surfaces(cfg, s, tmpl)
	h := &Handler{cfg: cfg, log: log, health: s.Health, pages: web, metrics: newMetrics(s.Health)}
	e := h.newEcho()
	// The map: every route, the file that answers it (TestRouteMap keeps it true).
	// Operations, mounted here by mountOperations:
	//   GET    /healthz                           health.go
	//   GET    /readyz                            health.go
	//   GET    /metrics                           metrics.go
	h.mountOperations(e, s.Tokens)

	// ActivityPub and discovery, mounted by activitypub/routes.go:
	//   GET    /.well-known/webfinger             activitypub/webfinger.go
	//   GET    /.well-known/host-meta             activitypub/webfinger.go
	//   GET    /.well-known/nodeinfo              activitypub/nodeinfo.go
	//   GET    /nodeinfo/:version                 activitypub/nodeinfo.go
	//   GET    /actors/:handle                    activitypub/actor.go
	//   GET    /actors/:handle/outbox             activitypub/outbox.go
	//   GET    /actors/:handle/followers          activitypub/actor.go
	//   GET    /actors/:handle/following          activitypub/actor.go
	//   GET    /actors/:handle/featured           activitypub/actor.go
	//   POST   /inbox                             activitypub/inbox.go
	//   POST   /actors/:handle/inbox              activitypub/inbox.go
	//   GET    /case-studies/:slug/replies        activitypub/replies.go
	fed.Mount(e)

	mountPages(e, web, s.Media, signIn.Session)

	// Signing in and out, mounted by auth/auth.go (behind auth's Session
	// middleware, which other browser surfaces take too):
	//   GET    /sign-in                           auth/signin.go
	//   POST   /sign-in                           auth/signin.go
	//   GET    /sign-out                          auth/signout.go
	//   POST   /sign-out                          auth/signout.go
	signIn.Mount(e)

	// OAuth 2 for Mastodon clients, mounted by oauth/oauth.go (consent behind auth's Session):
	//   POST   /api/v1/apps                       oauth/apps.go
	//   GET    /oauth/authorize                   oauth/authorize.go
	//   POST   /oauth/authorize                   oauth/authorize.go
	//   GET    /oauth/apps                        oauth/apps_user.go
	//   POST   /oauth/apps/:id/revoke             oauth/apps_user.go
	//   POST   /oauth/token                       oauth/token.go
	//   POST   /oauth/revoke                      oauth/token.go
	//   GET    /.well-known/oauth-authorization-server oauth/metadata.go
	authz.Mount(e, signIn.Session, auth.RequireUser())

	mountAdmin(e, cfg, s, tmpl, signIn.Session)

	// A case study's IRI, served by both surfaces: the Article (or a
	// Tombstone) to ActivityPub clients, the page to everyone else; the
	// choice is request.ByAccept's.
	//   GET    /case-studies/:slug                activitypub/casestudy.go, pages/casestudy.go
	e.GET("/case-studies/:slug", request.ByAccept(fed.CaseStudy, web.CaseStudy))
	// A note's IRI, the same way: the Note (or a Tombstone), or its page.
	//   GET    /notes/:id                         activitypub/casestudy.go, pages/note.go
	e.GET("/notes/:id", request.ByAccept(fed.Note, web.Note))

	mountAPIs(e, cfg, s)
	return e, nil
}

// mountPages mounts the web pages and feeds, the map's next part; the
// directory goes behind session, to offer admins a Follow button.
func mountPages(e *echo.Echo, web *pages.Handler, files Media, session echo.MiddlewareFunc) {
	// Web pages and feeds, mounted by pages/routes.go (/@{handle}.atom,
	// .rss and .json, and /tags/{tag}.atom and the rest, are the feeds of
	// the organisation and of a hashtag, handed to pages/feed.go):
	//   GET    /                                  pages/feedpage.go, pages/home.go
	//   GET    /@:handle                          pages/home.go, pages/feed.go
	//   GET    /tags/:tag                         pages/home.go, pages/feed.go
	//   GET    /feed                              pages/feedpage.go
	//   GET    /feed.atom                         pages/feed.go
	//   GET    /feed.rss                          pages/feed.go
	//   GET    /feed.json                         pages/feed.go
	//   GET    /feed.csv                          pages/feedcsv.go
	//   GET    /evidence                          pages/evidence.go
	//   GET    /feed/items/:id                    pages/received.go
	//   GET    /topics/:handle                    pages/network.go
	//   GET    /directory                         pages/network.go
	//   GET    /static/*                          pages/routes.go
	web.Mount(e, session)
	// The uploaded images and PDFs, mounted by pages/media.go:
	//   GET    /media/:name                       pages/media.go
	pages.MountMedia(e, files)
}

// mountAdmin mounts the admin area, its pages from tmpl, on e behind
// session, the rest of the map.
func mountAdmin(e *echo.Echo, cfg config.Config, s Services, tmpl *templates.Pages, session echo.MiddlewareFunc) {
	// The admin area, mounted by admin/admin.go (behind auth's Session;
	// all but /admin, which answers the first run too, for signed-in
	// users: follows, deliveries and users for admins only, the rest for
	// either role):
	//   GET    /admin                             admin/dashboard.go
	//   GET    /admin/case-studies                admin/casestudies.go
	//   GET    /admin/case-studies/new            admin/casestudy_edit.go
	//   POST   /admin/case-studies/new            admin/casestudy_edit.go
	//   GET    /admin/case-studies/:slug/edit     admin/casestudy_edit.go
	//   POST   /admin/case-studies/:slug/edit     admin/casestudy_edit.go
	//   GET    /admin/case-studies/:slug/delete   admin/casestudies.go
	//   POST   /admin/case-studies/:slug/delete   admin/casestudies.go
	//   GET    /admin/audit                       admin/audit.go
	//   GET    /admin/follows                     admin/follows.go
	//   POST   /admin/follows                     admin/follows.go
	//   GET    /admin/follows/following/:id/unfollow admin/follows.go
	//   POST   /admin/follows/following/:id/unfollow admin/follows.go
	//   POST   /admin/follows/followers/:id/approve admin/follows.go
	//   POST   /admin/follows/followers/:id/reject admin/follows.go
	//   GET    /admin/follows/followers/:id/remove admin/follows.go
	//   POST   /admin/follows/followers/:id/remove admin/follows.go
	//   GET    /admin/discussion                  admin/discussion.go
	//   POST   /admin/discussion/:id/hide         admin/discussion.go
	//   POST   /admin/discussion/:id/show         admin/discussion.go
	//   GET    /admin/discussion/:id/delete       admin/discussion.go
	//   POST   /admin/discussion/:id/delete       admin/discussion.go
	//   GET    /admin/deliveries                  admin/deliveries.go
	//   POST   /admin/deliveries                  admin/deliveries.go
	//   GET    /admin/users                       admin/users.go
	//   POST   /admin/users                       admin/users.go
	//   GET    /admin/users/:id/disable           admin/users_change.go
	//   POST   /admin/users/:id/disable           admin/users_change.go
	//   GET    /admin/users/:id/password          admin/users_change.go
	//   POST   /admin/users/:id/password          admin/users_change.go
	//   GET    /admin/users/tokens/:name/revoke   admin/users_change.go
	//   POST   /admin/users/tokens/:name/revoke   admin/users_change.go
	//   GET    /admin/users/apps/:id/revoke       admin/users_change.go
	//   POST   /admin/users/apps/:id/revoke       admin/users_change.go
	//   GET    /admin/profile                     admin/profile.go
	//   POST   /admin/profile                     admin/profile.go
	staff := admin.New(cfg, tmpl, s.CaseStudies, s.Admin, s.Accounts, s.Profile, s.AdminOps)
	staff.WithUploads(s.Media).Mount(e, session, auth.RequireUser(), auth.RequireUser(access.RoleAdmin))
	// The federation policy, for admins, mounted by admin/federation.go:
	//   GET    /admin/federation                  admin/federation.go
	//   POST   /admin/federation                  admin/federation.go
	//   POST   /admin/federation/block            admin/federation.go
	//   POST   /admin/federation/unblock          admin/federation.go
	//   POST   /admin/federation/disallow         admin/federation.go
	admin.NewFederation(staff, s.Policy).Mount(e, session, auth.RequireUser(access.RoleAdmin))
}

// mountAPIs mounts the JSON APIs on e: Pollen's own and Mastodon's, the
// rest of the map.
func mountAPIs(e *echo.Echo, cfg config.Config, s Services) {
	// Pollen's JSON API, mounted by api/routes.go (an admin token for all
	// but the first three):
	//   GET    /api/v1/case-studies               api/casestudies.go
	//   GET    /api/v1/case-studies/:slug         api/casestudies.go
	//   GET    /api/v1/feed                       api/feed.go
	//   POST   /api/v1/case-studies               api/casestudies.go
	//   PUT    /api/v1/case-studies/:slug         api/casestudies.go
	//   DELETE /api/v1/case-studies/:slug         api/casestudies.go
	//   POST   /api/v1/follows                    api/follows.go
	//   GET    /api/v1/follows                    api/follows.go
	//   DELETE /api/v1/follows/:id                api/follows.go
	//   GET    /api/v1/followers                  api/follows.go
	//   POST   /api/v1/followers/:id/approve      api/follows.go
	//   POST   /api/v1/followers/:id/reject       api/follows.go
	//   GET    /api/v1/queue                      api/queue.go
	api.New(s.CaseStudies, s.Follows, s.Queue, s.Tokens).Mount(e)

	// The Mastodon client API, mounted by mastoapi/mastoapi.go (the routes
	// from lists to verify_credentials, relationships, follow, unfollow and
	// follow_requests need an access token with their scope, checked by
	// request.Scopes; those that change follows, an admin's; search checks
	// a token only when one is sent), and a JSON 404 for every other path
	// under /api:
	//   GET    /api/v1/instance                   mastoapi/instance.go
	//   GET    /api/v2/instance                   mastoapi/instance.go
	//   GET    /api/v1/custom_emojis              mastoapi/empty.go
	//   GET    /api/v1/trends                     mastoapi/empty.go
	//   GET    /api/v1/trends/tags                mastoapi/empty.go
	//   GET    /api/v1/trends/statuses            mastoapi/empty.go
	//   GET    /api/v1/announcements              mastoapi/empty.go
	//   GET    /api/v1/lists                      mastoapi/empty.go
	//   GET    /api/v1/filters                    mastoapi/empty.go
	//   GET    /api/v2/filters                    mastoapi/empty.go
	//   GET    /api/v1/followed_tags              mastoapi/empty.go
	//   GET    /api/v1/preferences                mastoapi/empty.go
	//   GET    /api/v1/accounts/verify_credentials mastoapi/accounts_verify.go
	//   GET    /api/v1/accounts/lookup            mastoapi/accounts_get.go
	//   GET    /api/v1/accounts/relationships     mastoapi/accounts_relationships.go
	//   GET    /api/v1/accounts/:id               mastoapi/accounts_get.go
	//   POST   /api/v1/accounts/:id/follow        mastoapi/accounts_follow.go
	//   POST   /api/v1/accounts/:id/unfollow      mastoapi/accounts_follow.go
	//   GET    /api/v1/accounts/:id/followers     mastoapi/accounts_follows.go
	//   GET    /api/v1/accounts/:id/following     mastoapi/accounts_follows.go
	//   GET    /api/v1/follow_requests            mastoapi/follow_requests.go
	//   POST   /api/v1/follow_requests/:id/authorize mastoapi/follow_requests.go
	//   POST   /api/v1/follow_requests/:id/reject mastoapi/follow_requests.go
	//   GET    /api/v1/accounts/:id/statuses      mastoapi/accounts_statuses.go
	//   GET    /api/v1/timelines/public           mastoapi/timelines_public.go
	//   GET    /api/v1/timelines/home             mastoapi/timelines_public.go
	//   GET    /api/v1/timelines/tag/:hashtag     mastoapi/timelines_public.go
	//   GET    /api/v1/statuses/:id               mastoapi/statuses_get.go
	//   GET    /api/v1/statuses/:id/context       mastoapi/statuses_context.go
	//   GET    /api/v2/search                     mastoapi/search.go
	//   GET    /api/v1/directory                  mastoapi/directory.go
	//   GET    /api/v1/notifications              mastoapi/notifications.go
	//   POST   /api/v1/notifications/clear        mastoapi/notifications.go
	//   GET    /api/v1/notifications/:id          mastoapi/notifications.go
	//   POST   /api/v1/notifications/:id/dismiss  mastoapi/notifications.go
	//   GET    /api/v1/markers                    mastoapi/markers.go
	//   POST   /api/v1/markers                    mastoapi/markers.go
	//   POST   /api/v1/statuses                   mastoapi/statuses_post.go
	//   DELETE /api/v1/statuses/:id               mastoapi/statuses_post.go
	masto := mastoapi.New(cfg, s.Profile, s.Documents, s.Follows, s.Actors, request.Scopes{Tokens: s.OAuth}).
		WithStatuses(s.Statuses).WithSearch(s.Search).WithNotifications(s.Notifications)
	masto.Mount(e)
	mastoapi.MountDirectory(e, masto, s.Network)
}

// mountOperations registers the operations routes: health, readiness,
// and the metrics behind an admin token.
func (h *Handler) mountOperations(e *echo.Echo, tokens api.Tokens) {
	e.GET("/healthz", h.healthz)
	e.GET("/readyz", h.readyz)
	e.GET("/metrics", h.metricsHandler(), api.RequireToken(tokens))
}

// surfaces builds the surfaces over s: ActivityPub, the web pages,
// signing in, and OAuth, the last three over the node's one set of page
// templates tmpl.
func surfaces(cfg config.Config, s Services, tmpl *templates.Pages) (*activitypub.Handler, *pages.Handler, *auth.Handler, *oauth.Handler) {
	fed := activitypub.New(cfg, s.Actors, s.Documents, s.Signatures, s.Inbox)
	web := pages.New(cfg, tmpl, s.Actors, s.CaseStudies, s.Documents, s.Profile, s.Statuses)
	web.WithNetwork(s.Network)
	signIn := auth.New(cfg, tmpl, s.Accounts, s.OAuth, s.Profile)
	authz := oauth.New(cfg, tmpl, s.OAuth, s.OAuth, s.Profile)
	return fed, web, signIn, authz
}

// newEcho makes the server with the error handler and the middleware
// every request goes through.
func (h *Handler) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = h.errorHandler
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{
		Skipper: func(c echo.Context) bool { return c.Request().URL.Path == "/" },
	}))
	e.Pre(answerHead)
	e.IPExtractor = clientIP(h.cfg)
	e.Use(h.setRequestID, h.requestLog, middleware.Recover(), refuseBadText, h.bodyLimit())
	e.Use(h.securityHeaders, cors())
	return e
}
