// Package handlers is Pollen's HTTP layer: it reads requests, calls the
// federation service and writes responses. Every route is in routes.go.
package handlers

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/web"
)

// MaxBody is the largest request body accepted anywhere: 1 MiB.
const MaxBody = 1 << 20

// Handler holds what the HTTP handlers need.
type Handler struct {
	cfg     config.Config
	svc     *federation.Service
	docs    *federation.Documents
	inboxes *federation.Inbox
	cases   *service.CaseStudies
	tokens  *service.Tokens
	health  *service.Health
	actors  *service.Actors
	log     *slog.Logger
	pages   *web.Pages
	metrics *metrics
	// inboxBodies bounds the inbox bodies read at once.
	inboxBodies *bodySlots
}

// New builds the HTTP server of a node over svc, the documents it serves
// (docs), its inbox and the use cases cases, tokens, health and actors,
// with the node's configuration cfg (the same they were made with): every
// route, the middleware and the error handler. It returns an error when
// the page templates do not parse.
func New(cfg config.Config, svc *federation.Service, docs *federation.Documents, inbox *federation.Inbox,
	cases *service.CaseStudies, tokens *service.Tokens, health *service.Health, actors *service.Actors, log *slog.Logger) (*echo.Echo, error) {
	pages, err := web.NewPages()
	if err != nil {
		return nil, err
	}
	h := &Handler{cfg: cfg, svc: svc, docs: docs, inboxes: inbox, cases: cases, tokens: tokens, health: health, actors: actors, log: log,
		pages: pages, metrics: newMetrics(health), inboxBodies: newBodySlots(cfg.InboxConcurrency)}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = h.errorHandler
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{
		Skipper: func(c echo.Context) bool { return c.Request().URL.Path == "/" },
	}))
	e.IPExtractor = clientIP(cfg)
	e.Use(h.setRequestID, h.requestLog, middleware.Recover(), refuseBadText, middleware.BodyLimit(strconv.Itoa(MaxBody)))
	e.Use(h.securityHeaders)

	// Operations.
	e.GET("/healthz", h.healthz)
	e.GET("/readyz", h.readyz)
	e.GET("/metrics", h.metricsHandler(), h.requireToken)

	// Discovery.
	e.GET("/.well-known/webfinger", h.webfinger)
	e.GET("/.well-known/nodeinfo", h.nodeinfoLinks)
	e.GET("/.well-known/host-meta", h.hostMeta)
	e.GET("/nodeinfo/:version", h.nodeinfo)

	// ActivityPub.
	e.GET("/actors/:handle", h.actor, h.foldHandle)
	e.GET("/actors/:handle/outbox", h.outbox, h.foldHandle)
	e.GET("/actors/:handle/followers", h.followers, h.foldHandle)
	e.GET("/actors/:handle/following", h.following, h.foldHandle)
	e.GET("/actors/:handle/featured", h.featured, h.foldHandle)
	e.GET("/case-studies/:slug", h.caseStudy)
	e.GET("/case-studies/:slug/replies", h.replies)
	e.POST("/inbox", h.inbox)
	e.POST("/actors/:handle/inbox", h.inbox)

	// Web pages.
	e.GET("/", h.home)
	e.GET("/@:handle", h.home, h.foldHandle)
	e.GET("/tags/:tag", h.tag)
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", web.StaticHandler())))

	// JSON API.
	api := e.Group("/api/v1")
	api.GET("/case-studies", h.listCaseStudies)
	api.GET("/case-studies/:slug", h.getCaseStudy)
	api.GET("/feed", h.feed)
	admin := api.Group("", h.requireToken)
	admin.POST("/case-studies", h.createCaseStudy)
	admin.PUT("/case-studies/:slug", h.updateCaseStudy)
	admin.DELETE("/case-studies/:slug", h.deleteCaseStudy)
	admin.POST("/follows", h.createFollow)
	admin.GET("/follows", h.listFollowing)
	admin.DELETE("/follows/:id", h.deleteFollow)
	admin.GET("/followers", h.listFollowers)
	admin.POST("/followers/:id/approve", h.approveFollower)
	admin.POST("/followers/:id/reject", h.rejectFollower)
	admin.GET("/queue", h.queue)
	return e, nil
}
