package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pollen-coop/pollen/federation/policy"
	"github.com/pollen-coop/pollen/handlers/request"
	"github.com/pollen-coop/pollen/internal/apperr"
)

// Policy is the node's federation policy as the admin area edits it
// (*policy.Policy): its errors are 422 *apperr.Error values naming the
// field ("domain", "actor", "reason"), a 409 for a rule there already
// and a 404 for one that is not.
type Policy interface {
	List(ctx context.Context) (policy.View, error)
	CheckDomain(s string) (string, error)
	ActorIRI(s string) (string, error)
	Block(ctx context.Context, who policy.Who, domain, reason string) (int64, error)
	BlockActor(ctx context.Context, who policy.Who, iri, reason string) (int64, error)
	Unblock(ctx context.Context, who policy.Who, domain string) error
	UnblockActor(ctx context.Context, who policy.Who, iri string) error
	Allow(ctx context.Context, who policy.Who, domain, reason string) error
	Disallow(ctx context.Context, who policy.Who, domain string) error
}

// Federation answers the admin area's federation policy page, for
// admins: the blocks and the allowlist, the form that adds to them, the
// confirmation of a block.
type Federation struct {
	h      *Handler
	policy Policy
}

// NewFederation makes the federation policy pages of the admin area h,
// over p.
func NewFederation(h *Handler, p Policy) *Federation { return &Federation{h: h, policy: p} }

// Mount registers the pages on e behind session (auth's Session) and
// admin (auth.RequireUser(access.RoleAdmin)).
func (f *Federation) Mount(e *echo.Echo, session, admin echo.MiddlewareFunc) {
	e.GET("/admin/federation", f.page, session, admin)
	e.POST("/admin/federation", f.submit, session, admin)
	e.POST("/admin/federation/block", f.block, session, admin)
	e.POST("/admin/federation/unblock", f.unblock, session, admin)
	e.POST("/admin/federation/disallow", f.disallow, session, admin)
}

// ruleForm is what the form holds: what was typed, and its errors.
type ruleForm struct {
	Domain, Actor, Reason string
	Errors                []fieldError
	E                     map[string]string
}

// ruleFields are the form's fields in order, with their labels.
var ruleFields = []struct{ name, label string }{{"domain", "Domain"}, {"actor", "Actor"}, {"reason", "Reason"}}

// page answers GET /admin/federation: the mode, the rules, and the form
// (its actor field filled from ?actor=IRI); ?blocked, ?unblocked,
// ?allowed or ?disallowed name what was just done.
func (f *Federation) page(c echo.Context) error {
	actor := c.QueryParam("actor")
	if len(actor) > 2000 {
		return apperr.Errorf(apperr.Invalid, "the actor's address is over 2,000 characters")
	}
	done := ""
	for _, d := range []struct{ param, say string }{
		{"blocked", "Blocked %s."}, {"unblocked", "Unblocked %s."}, {"allowed", "Allowed %s."}, {"disallowed", "Took %s off the allowlist."},
	} {
		if v := c.QueryParam(d.param); v != "" && len(v) <= 2000 {
			done = fmt.Sprintf(d.say, v)
		}
	}
	return f.render(c, http.StatusOK, ruleForm{Actor: actor}, done)
}

// render writes the page with the form.
func (f *Federation) render(c echo.Context, status int, form ruleForm, done string) error {
	v, err := f.policy.List(c.Request().Context())
	if err != nil {
		return err
	}
	if form.E == nil {
		form.E = map[string]string{}
	}
	return f.h.render(c, status, "admin_federation.html", map[string]any{
		"Title": "Federation", "Nav": "federation", "Policy": v, "Form": form, "Errors": form.Errors, "Done": done,
	})
}

// invalid shows the form again with the fields err names (422), or
// returns err when it names none.
func (f *Federation) invalid(c echo.Context, form ruleForm, err error) error {
	var e *apperr.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	form.E = map[string]string{}
	for _, fl := range ruleFields {
		if msg, ok := e.Fields[fl.name]; ok {
			form.Errors = append(form.Errors, fieldError{Field: fl.name, Message: msg})
			form.E[fl.name] = msg
		}
	}
	return f.render(c, e.Kind.Status(), form, "")
}

// readRule reads the posted form.
func readRule(c echo.Context) ruleForm {
	return ruleForm{Domain: strings.TrimSpace(c.FormValue("domain")), Actor: strings.TrimSpace(c.FormValue("actor")), Reason: strings.TrimSpace(c.FormValue("reason"))}
}

// submit answers POST /admin/federation: "allow" puts the domain on the
// allowlist at once; "block" checks the form and asks to confirm, since a
// block removes followers.
func (f *Federation) submit(c echo.Context) error {
	form := readRule(c)
	switch action := c.FormValue("action"); {
	case action == "allow":
		if form.Actor != "" {
			return f.invalid(c, form, apperr.InvalidFields(map[string]string{"actor": "Only domains are allowed: leave the actor empty"}))
		}
		if err := f.policy.Allow(c.Request().Context(), who(c), form.Domain, form.Reason); err != nil {
			return f.invalid(c, form, required(err, form))
		}
		d, _ := f.policy.CheckDomain(form.Domain)
		return seeOther(c, "/admin/federation?allowed="+url.QueryEscape(d))
	case action != "block":
		return apperr.Errorf(apperr.Invalid, "the form was sent without one of its buttons: choose Block or Allow")
	}
	confirm, err := f.checkBlock(form)
	if err != nil {
		return f.invalid(c, form, err)
	}
	return f.h.render(c, http.StatusOK, "admin_federation_confirm.html", map[string]any{
		"Title": "Block " + confirm.Target, "Nav": "federation", "Confirm": confirm,
	})
}

// blockConfirm is what the confirmation page shows and posts.
type blockConfirm struct {
	Target, Domain, Actor, Reason string
}

// checkBlock checks a block's form: a domain or an actor, not both.
func (f *Federation) checkBlock(form ruleForm) (blockConfirm, error) {
	if len(form.Reason) > 500 {
		return blockConfirm{}, apperr.InvalidFields(map[string]string{"reason": "The reason must be 500 characters or fewer"})
	}
	switch {
	case form.Domain != "" && form.Actor != "":
		return blockConfirm{}, apperr.InvalidFields(map[string]string{"actor": "Enter a domain or an actor, not both"})
	case form.Actor != "":
		iri, err := f.policy.ActorIRI(form.Actor)
		return blockConfirm{Target: iri, Actor: iri, Reason: form.Reason}, err
	}
	d, err := f.policy.CheckDomain(form.Domain)
	return blockConfirm{Target: d, Domain: d, Reason: form.Reason}, required(err, form)
}

// required says that a domain is needed when none was typed.
func required(err error, form ruleForm) error {
	if err != nil && form.Domain == "" && form.Actor == "" {
		return apperr.InvalidFields(map[string]string{"domain": "Enter a domain, such as example.org, or an actor below"})
	}
	return err
}

// block answers POST /admin/federation/block, the confirmed block.
func (f *Federation) block(c echo.Context) error {
	form := readRule(c)
	ctx := c.Request().Context()
	var err error
	target := form.Actor
	if form.Actor != "" {
		_, err = f.policy.BlockActor(ctx, who(c), form.Actor, form.Reason)
	} else {
		_, err = f.policy.Block(ctx, who(c), form.Domain, form.Reason)
		target, _ = f.policy.CheckDomain(form.Domain)
	}
	if err != nil {
		return f.invalid(c, form, required(err, form))
	}
	return seeOther(c, "/admin/federation?blocked="+url.QueryEscape(target))
}

// unblock answers POST /admin/federation/unblock: it lifts the block of
// the domain, or of the actor.
func (f *Federation) unblock(c echo.Context) error {
	form := readRule(c)
	ctx := c.Request().Context()
	var err error
	target := form.Actor
	if form.Actor != "" {
		err = f.policy.UnblockActor(ctx, who(c), form.Actor)
	} else {
		err = f.policy.Unblock(ctx, who(c), form.Domain)
		target = form.Domain
	}
	if err != nil {
		return err
	}
	return seeOther(c, "/admin/federation?unblocked="+url.QueryEscape(target))
}

// disallow answers POST /admin/federation/disallow: it takes the domain
// off the allowlist.
func (f *Federation) disallow(c echo.Context) error {
	form := readRule(c)
	if err := f.policy.Disallow(c.Request().Context(), who(c), form.Domain); err != nil {
		return err
	}
	return seeOther(c, "/admin/federation?disallowed="+url.QueryEscape(form.Domain))
}

// who is the signed-in user, for the audit log.
func who(c echo.Context) policy.Who {
	if u, ok := request.User(c); ok {
		return policy.Who{UserID: u.ID, Name: u.Email}
	}
	return policy.Who{Name: "unknown"}
}
