package service

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// Actor is who makes a change, as the audit log names them: a signed-in
// user (UserID and email), or an admin token or the command line (UserID
// 0).
type Actor struct {
	UserID int64
	Name   string
}

type actorKey struct{}

// Acting returns ctx carrying who acts, for the audit log of the changes
// made with it.
func Acting(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// The actors that are not users.
var (
	AdminToken  = Actor{Name: "admin token"}
	CommandLine = Actor{Name: "command line"}
)

// ActorOf is who acts with ctx (see Acting); "unknown" when no surface
// said.
func ActorOf(ctx context.Context) Actor { return actorOf(ctx) }

// actorOf is who acts with ctx; "unknown" when no surface said.
func actorOf(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Name: "unknown"}
}

// audit records, in tx, that the actor of ctx did action to c.
func audit(ctx context.Context, tx *models.Store, action string, c models.CaseStudy) error {
	a := actorOf(ctx)
	e := models.AuditEntry{UserID: a.UserID, Who: a.Name, Action: action, Title: c.Title}
	if c.Slug != nil {
		e.Target = *c.Slug
	}
	return tx.Audit.Record(ctx, &e)
}

// AuditView is one entry of the audit log.
type AuditView struct {
	Who, Action, Target, Title string
	At                         time.Time
}

// AuditPage is a page of the audit log, newest first.
type AuditPage struct {
	Items       []AuditView
	Total       int64
	Page, Pages int
}

// auditPageSize is how many entries a page of the log holds.
const auditPageSize = 50

// Admin reads what the admin area shows beside the case studies: the
// audit log and the dashboard's counts.
type Admin struct {
	store *models.Store
}

// NewAdmin makes the admin area's reading over store.
func NewAdmin(store *models.Store) *Admin { return &Admin{store: store} }

// AuditLog returns page n (from 1) of the audit log, or the store's error.
func (a *Admin) AuditLog(ctx context.Context, n int) (AuditPage, error) {
	n = max(n, 1)
	rows, total, err := a.store.Audit.List(ctx, auditPageSize, (n-1)*auditPageSize)
	if err != nil {
		return AuditPage{}, err
	}
	p := AuditPage{Items: []AuditView{}, Total: total, Page: n, Pages: max(int((total+auditPageSize-1)/auditPageSize), 1)}
	for _, r := range rows {
		p.Items = append(p.Items, AuditView{Who: r.Who, Action: r.Action, Target: r.Target, Title: r.Title, At: r.At})
	}
	return p, nil
}
