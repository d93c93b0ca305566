package mastoapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation/directory"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// Directory lists the nodes this node knows (*directory.Directory); it
// returns the store's errors.
type Directory interface {
	List(ctx context.Context, q directory.Query) (directory.Page, error)
}

// directoryRoutes answer the network directory in Mastodon's shape.
type directoryRoutes struct {
	*Handler
	dir Directory
}

// MountDirectory registers GET /api/v1/directory on e, answered by h's
// accounts and dir's nodes.
func MountDirectory(e *echo.Echo, h *Handler, dir Directory) {
	e.GET("/api/v1/directory", directoryRoutes{h, dir}.directory)
}

// directory answers GET /api/v1/directory: an array of Accounts, each
// with Pollen's fields, taking Mastodon's offset, limit (at most 80),
// order (active or new) and local. A bad value of one is a 400.
func (h directoryRoutes) directory(c echo.Context) error {
	q, err := directoryQuery(c)
	if err != nil {
		return err
	}
	page, err := h.dir.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	out := make([]DirectoryAccount, 0, len(page.Entries))
	for _, e := range page.Entries {
		out = append(out, h.directoryAccount(e))
	}
	return c.JSON(http.StatusOK, out)
}

// directoryQuery reads the directory's parameters as Mastodon does: a
// limit over 80 is 80.
func directoryQuery(c echo.Context) (directory.Query, error) {
	q := directory.Query{Order: c.QueryParam("order"), Limit: 40}
	if q.Order == "" {
		q.Order = "active"
	}
	if q.Order != "active" && q.Order != "new" {
		return q, apperr.Errorf(apperr.Invalid, "order must be active or new, not %q", q.Order)
	}
	for _, p := range []struct {
		name string
		to   *int
	}{{"offset", &q.Offset}, {"limit", &q.Limit}} {
		v := c.QueryParam(p.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || (p.name == "limit" && n == 0) {
			return q, apperr.Errorf(apperr.Invalid, "%s must be a whole number above zero, not %q", p.name, v)
		}
		*p.to = n
	}
	q.Limit = min(q.Limit, directory.MaxLimit)
	if v := c.QueryParam("local"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return q, apperr.Errorf(apperr.Invalid, "local must be true or false, not %q", v)
		}
		q.Local = b
	}
	return q, nil
}

// directoryAccount is a directory entry as an Account with Pollen's
// fields: its case studies as statuses_count, the day of the latest as
// last_status_at.
func (h directoryRoutes) directoryAccount(e directory.Entry) DirectoryAccount {
	a := h.remoteAccount(e.Actor)
	n := e.Node
	a.StatusesCount = n.CaseStudies
	p := DirectoryNode{
		OrganisationType: n.OrganisationType, Region: n.Region, CaseStudies: n.CaseStudies,
		Following: e.Following, Dead: n.Dead, KnownThrough: n.Via,
	}
	if p.OrganisationType == "" {
		p.OrganisationType = e.Actor.OrgType
	}
	if p.Region == "" {
		p.Region = e.Actor.Region
	}
	if n.Software != "" {
		p.Software = &Software{Name: n.Software, Version: n.SoftwareVersion}
	}
	if n.LastActivity != nil {
		day, at := n.LastActivity.UTC().Format("2006-01-02"), n.LastActivity.UTC().Format(mastodonTime)
		a.LastStatusAt, p.LastActivity = &day, &at
	}
	if n.CheckedAt != nil {
		at := n.CheckedAt.UTC().Format(mastodonTime)
		p.CheckedAt = &at
	}
	return DirectoryAccount{Account: a, Pollen: p}
}
