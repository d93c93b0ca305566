// Package node assembles a Pollen node from its parts: configuration, store,
// federation service and HTTP handlers. The pollen command and the test rig
// both start nodes through it, so there is one wiring.
package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/directory"
	"github.com/pollen-coop/pollen/federation/topics"
	"github.com/pollen-coop/pollen/handlers"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/service/adminops"
	"github.com/pollen-coop/pollen/service/media"
)

// Node is one running node's parts.
type Node struct {
	Config  config.Config
	Store   *models.Store
	Service *federation.Service
	// Documents are the documents the node serves; Follows its follows
	// and followers; Inbox processes what its inboxes receive. All are
	// Service's own.
	Documents *federation.Documents
	Follows   *federation.Follows
	Inbox     *federation.Inbox
	// AuditedFollows are Follows as the APIs and the command line change
	// them, each change recorded in the audit log.
	AuditedFollows *adminops.Audited
	// The use cases the handlers and the command line call.
	CaseStudies *service.CaseStudies
	Statuses    *service.Statuses
	// Notifications are the organisation's notifications and the users'
	// markers.
	Notifications *service.Notifications
	Tokens        *access.Tokens
	Health        *service.Health
	Actors        *service.Actors
	Accounts      *access.Accounts
	OAuth         *access.OAuth
	Search        *service.Search
	Media         *media.Store // the uploaded images and PDFs
	Log           *slog.Logger
	echo          *echo.Echo
}

// Open connects to the database, applies migrations, makes sure the
// organisation's actor and keys exist and builds the HTTP server.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*Node, error) {
	n, err := OpenStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if _, err := n.Service.SyncProfile(ctx); err != nil {
		n.Close()
		return nil, err
	}
	if cfg.IsHub() {
		if err := n.Service.Topics().EnsureKnown(ctx); err != nil {
			n.Close()
			return nil, err
		}
	}
	svc := n.Service
	n.Media = media.New(cfg, n.Store.Media)
	e, err := handlers.New(cfg, handlers.Services{
		Actors: n.Actors, Documents: n.Documents, Signatures: svc, Inbox: n.Inbox, CaseStudies: n.CaseStudies,
		Follows: n.AuditedFollows, Queue: svc, Tokens: n.Tokens, Profile: svc, Health: n.Health,
		Accounts: n.Accounts, OAuth: n.OAuth, Statuses: n.Statuses, Search: n.Search, Notifications: n.Notifications,
		Admin: service.NewAdmin(n.Store), Policy: svc.Policy(),
		Network: network{svc.Directory(), svc.Topics()}, Media: n.Media,
		AdminOps: handlers.AdminOps{
			Follows:    adminops.NewFollows(n.Follows, n.Store),
			Discussion: adminops.NewDiscussion(n.Store, svc),
			Deliveries: adminops.NewDeliveries(n.Store, svc.Delivery()),
			Staff:      adminops.NewUsers(n.Accounts, n.OAuth, n.Store),
			Profile:    adminops.NewProfile(svc),
		},
	}, log)
	if err != nil {
		n.Close()
		return nil, err
	}
	n.echo = e
	return n, nil
}

// network is what the pages and the Mastodon API show of the network:
// the directory's pages and a hub's topics.
type network struct {
	*directory.Directory
	*topics.Topics
}

// OpenStore connects and migrates, without the HTTP server: for the
// command-line tools.
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*Node, error) {
	// One clock for the service and the store: every time the node
	// writes comes from it.
	clock := time.Now
	store, err := models.Open(ctx, cfg.DatabaseDSN(), models.WithClock(clock), models.WithMaxConns(cfg.DatabaseMaxConnections))
	if err != nil {
		return nil, err
	}
	if err := store.Migrate(ctx); err != nil {
		_ = store.Close()
		return nil, err
	}
	svc := federation.New(cfg, store, log, federation.WithClock(clock))
	if err := errors.Join(svc.Policy().Load(ctx), svc.Documents().Profile().Load(ctx)); err != nil {
		svc.Inbox().Close()
		_ = store.Close()
		return nil, err
	}
	statuses := service.NewStatuses(cfg, store, svc, log, clock)
	return &Node{
		Config: cfg, Store: store, Service: svc, Log: log, Documents: svc.Documents(), Follows: svc.Follows(), Inbox: svc.Inbox(),
		AuditedFollows: adminops.NewAudited(svc.Follows(), store),
		CaseStudies:    service.NewCaseStudies(cfg, store, svc, log, clock),
		Statuses:       statuses, Search: service.NewSearch(store, svc, statuses, log),
		Notifications: service.NewNotifications(store, statuses),
		Tokens:        access.NewTokens(store), Health: service.NewHealth(store), Actors: service.NewActors(store),
		Accounts: access.NewAccounts(store, clock), OAuth: access.NewOAuth(store, clock),
	}, nil
}

// Handler is the node's HTTP handler.
func (n *Node) Handler() http.Handler { return n.echo }

// Serve answers HTTP on l until ctx ends, then shuts down gracefully,
// letting requests in flight finish within the configured grace period.
// One address may hold at most max_connections_per_address connections.
func (n *Node) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{
		Handler:           n.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(n.Log.Handler(), slog.LevelWarn),
	}
	// Deliveries and the processing of received activities run beside the
	// server and stop with it, deliveries finishing the attempts in flight.
	bctx, stopBackground := context.WithCancel(ctx)
	background := map[string]func(context.Context) error{
		"delivery":  n.Service.Delivery().Run,
		"inbox":     n.Inbox.RunInbox,
		"policy":    n.Service.Policy().Run,
		"profile":   n.Documents.Profile().Run,
		"directory": n.Service.Directory().Run,
	}
	stopped := make(chan error, len(background))
	for name, run := range background {
		go func() {
			err := run(bctx)
			if err != nil {
				err = fmt.Errorf("%s: %w", name, err)
			}
			stopped <- err
		}()
	}
	defer func() {
		stopBackground()
		for range background {
			if err := <-stopped; err != nil {
				n.Log.Error("background work stopped", "err", err)
			}
		}
	}()

	l = limitPerAddress(l, n.Config.MaxConnsPerAddress, n.Config.TrustsProxy)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return fmt.Errorf("node: serve: %w", err)
	case <-ctx.Done():
	}
	n.Log.Info("shutting down", "grace", n.Config.ShutdownGracePeriod)
	sctx, cancel := context.WithTimeout(context.Background(), n.Config.ShutdownGracePeriod)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("node: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close stops the inbox, once the activities it was handed are stored,
// then closes the database.
func (n *Node) Close() {
	n.Inbox.Close()
	if err := n.Store.Close(); err != nil {
		n.Log.Warn("closing the database", "err", err)
	}
}
