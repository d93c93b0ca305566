package policy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
	mpolicy "github.com/pollen-coop/pollen/models/policy"
)

// Who is who changes the policy, for the audit log: a signed-in user
// (UserID and their email as Name), or the command line (UserID 0).
type Who struct {
	UserID int64
	Name   string
}

// Entry is one rule as the admin area and the command line list it.
type Entry struct {
	// Value is the domain, or the actor's IRI.
	Value, Reason, Who string
	CreatedAt          time.Time
}

// View is the whole policy: the mode and the rules of each kind, in
// alphabetical order.
type View struct {
	Allowlist                       bool
	Blocked, Allowed, BlockedActors []Entry
}

// List returns the policy as the store holds it. It returns the store's
// error.
func (p *Policy) List(ctx context.Context) (View, error) {
	list, err := p.store.Policy.List(ctx)
	if err != nil {
		return View{}, err
	}
	v := View{Allowlist: p.allowlist}
	for _, r := range list {
		e := Entry{Value: r.Value, Reason: r.Reason, Who: r.Who, CreatedAt: r.CreatedAt}
		switch r.Kind {
		case mpolicy.KindBlock:
			v.Blocked = append(v.Blocked, e)
		case mpolicy.KindAllow:
			v.Allowed = append(v.Allowed, e)
		case mpolicy.KindBlockActor:
			v.BlockedActors = append(v.BlockedActors, e)
		}
	}
	return v, nil
}

// Block blocks a domain (see Domain for what is accepted): its inbox
// requests are refused, nothing is fetched from or delivered to it, the
// follows both ways between the node and its actors are removed and its
// content is hidden. It returns how many follows it removed; a 422
// *apperr.Error naming the field "domain" for a domain that is not one
// (or is this node's), a 409 *apperr.Error when it is blocked already,
// and the store's errors.
func (p *Policy) Block(ctx context.Context, who Who, domain, reason string) (int64, error) {
	d, err := p.domain(domain)
	if err != nil {
		return 0, err
	}
	return p.add(ctx, who, mpolicy.KindBlock, d, reason, mpolicy.AuditBlocked)
}

// BlockActor blocks one actor by its IRI, as Block does a domain. It
// returns a 422 *apperr.Error naming the field "actor" for an IRI that
// is not an absolute http or https URL of another server.
func (p *Policy) BlockActor(ctx context.Context, who Who, iri, reason string) (int64, error) {
	iri, err := p.ActorIRI(iri)
	if err != nil {
		return 0, err
	}
	return p.add(ctx, who, mpolicy.KindBlockActor, iri, reason, mpolicy.AuditBlocked)
}

// ActorIRI checks what was typed as the IRI of an actor to block: an
// absolute http or https URL of another server, at most 2,000
// characters. It returns it trimmed, or a 422 *apperr.Error naming the
// field "actor".
func (p *Policy) ActorIRI(s string) (string, error) {
	iri := strings.TrimSpace(s)
	u, err := url.Parse(iri)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(iri) > 2000 {
		return "", apperr.InvalidFields(map[string]string{"actor": "Enter the actor's address, such as https://example.org/users/alex"})
	}
	if strings.EqualFold(u.Host, p.self) {
		return "", apperr.InvalidFields(map[string]string{"actor": "This node's own actors cannot be blocked"})
	}
	return iri, nil
}

// CheckDomain is Domain, refusing this node's own domain with a 422
// *apperr.Error naming the field "domain".
func (p *Policy) CheckDomain(s string) (string, error) { return p.domain(s) }

// Allow puts a domain on the allowlist, which the allowlist mode
// federates with only. Its errors are Block's.
func (p *Policy) Allow(ctx context.Context, who Who, domain, reason string) error {
	d, err := p.domain(domain)
	if err != nil {
		return err
	}
	_, err = p.add(ctx, who, mpolicy.KindAllow, d, reason, mpolicy.AuditAllowed)
	return err
}

// Unblock lifts a domain's block: its content shows again, its follows
// do not come back. It returns a 404 *apperr.Error when it is not
// blocked, a 422 for a domain that is not one, and the store's errors.
func (p *Policy) Unblock(ctx context.Context, who Who, domain string) error {
	d, err := p.domain(domain)
	if err != nil {
		return err
	}
	return p.remove(ctx, who, mpolicy.KindBlock, d, mpolicy.AuditUnblocked)
}

// UnblockActor lifts an actor's block, as Unblock does a domain's.
func (p *Policy) UnblockActor(ctx context.Context, who Who, iri string) error {
	return p.remove(ctx, who, mpolicy.KindBlockActor, strings.TrimSpace(iri), mpolicy.AuditUnblocked)
}

// Disallow takes a domain off the allowlist. Its errors are Unblock's.
func (p *Policy) Disallow(ctx context.Context, who Who, domain string) error {
	d, err := p.domain(domain)
	if err != nil {
		return err
	}
	return p.remove(ctx, who, mpolicy.KindAllow, d, mpolicy.AuditDisallowed)
}

// add stores the rule with its audit entry in one transaction, then
// reloads the rules.
func (p *Policy) add(ctx context.Context, who Who, kind, value, reason, action string) (int64, error) {
	reason = strings.TrimSpace(reason)
	if len(reason) > 500 {
		return 0, apperr.InvalidFields(map[string]string{"reason": "The reason must be 500 characters or fewer"})
	}
	var removed int64
	err := p.store.Atomically(ctx, func(tx *models.Store) error {
		var err error
		removed, err = tx.Policy.Add(ctx, &models.FederationRule{Kind: kind, Value: value, Reason: reason, Who: who.Name})
		if err != nil {
			return err
		}
		return tx.Audit.Record(ctx, &models.AuditEntry{UserID: who.UserID, Who: who.Name, Action: action, Target: value, Title: reason})
	})
	if errors.Is(err, models.ErrConflict) {
		state := "blocked"
		if kind == mpolicy.KindAllow {
			state = "allowed"
		}
		return 0, apperr.Errorf(apperr.Conflict, "%s is %s already", value, state)
	}
	if err != nil {
		return 0, err
	}
	return removed, p.Load(ctx)
}

// remove deletes the rule with its audit entry in one transaction, then
// reloads the rules.
func (p *Policy) remove(ctx context.Context, who Who, kind, value, action string) error {
	err := p.store.Atomically(ctx, func(tx *models.Store) error {
		if err := tx.Policy.Remove(ctx, kind, value); err != nil {
			return err
		}
		return tx.Audit.Record(ctx, &models.AuditEntry{UserID: who.UserID, Who: who.Name, Action: action, Target: value})
	})
	if errors.Is(err, models.ErrNotFound) {
		return apperr.Errorf(apperr.NotFound, "there is no such rule: %s", value)
	}
	if err != nil {
		return err
	}
	return p.Load(ctx)
}

// domain is Domain, refusing this node's own.
func (p *Policy) domain(s string) (string, error) {
	d, err := Domain(s)
	if err == nil && d == p.self {
		err = apperr.InvalidFields(map[string]string{"domain": "This node's own domain cannot be blocked or allowed"})
	}
	return d, err
}

// Domain is the authority a rule names, from what was typed: a host
// ("example.org"), with a port ("example.org:8443"), a URL
// ("https://example.org/users/a", its authority) or a handle
// ("@a@example.org", its host), in lower case. It returns a 422
// *apperr.Error naming the field "domain" for anything else.
func Domain(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.Contains(s, "://") {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			s = Authority(u)
		}
	} else if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSuffix(s, ".")
	if !validAuthority(s) {
		return "", apperr.InvalidFields(map[string]string{"domain": "Enter a domain, such as example.org or example.org:8443"})
	}
	return s, nil
}

// validAuthority reports whether s is a host name or an IP address, with
// an optional port, of at most 253 characters.
func validAuthority(s string) bool {
	host := s
	if h, port, err := net.SplitHostPort(s); err == nil {
		var n int
		if _, err := fmt.Sscanf(port, "%d", &n); err != nil || n < 1 || n > 65535 || fmt.Sprint(n) != port {
			return false
		}
		host = h
	}
	if host == "" || len(s) > 253 {
		return false
	}
	if net.ParseIP(host) != nil {
		return true
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
				return false
			}
		}
	}
	return true
}
