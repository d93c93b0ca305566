// Package policy is the node's federation policy: the blocked domains and
// actors, and in the allowlist mode (federation_mode: allowlist) the only
// domains the node federates with. The rules are kept in the store
// (models/policy) and held in memory, so that the inbox, the fetches and
// the deliveries check them without a query; a change made here shows at
// once, one made by another process within RefreshEvery. Its refusals are
// *Refusal values (ErrBlocked, ErrNotAllowed), never HTTP statuses.
package policy

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/models"
	mpolicy "github.com/pollen-coop/pollen/models/policy"
)

// RefreshEvery is how often Run reloads the rules, for the changes made
// by other processes (the command line, another node process).
const RefreshEvery = 30 * time.Second

// The kinds of refusal.
var (
	// ErrBlocked: the domain, or the actor, is blocked.
	ErrBlocked = errors.New("policy: blocked")
	// ErrNotAllowed: the node is in the allowlist mode and the domain is
	// not on the list.
	ErrNotAllowed = errors.New("policy: not on the allowlist")
)

// Refusal is a peer the policy refuses: Kind is ErrBlocked or
// ErrNotAllowed, Message says which and why, and is safe to show.
type Refusal struct {
	Kind    error
	Message string
}

// Error is the message.
func (r *Refusal) Error() string { return r.Message }

// Unwrap gives the kind, for errors.Is.
func (r *Refusal) Unwrap() error { return r.Kind }

// rules are the rules in memory: each value with its reason.
type rules struct {
	blocked, allowed, actors map[string]string
}

// Policy is the federation policy of a node. It is safe for concurrent
// use.
type Policy struct {
	store     *models.Store
	log       *slog.Logger
	allowlist bool
	self      string

	mu      sync.RWMutex
	rules   rules
	changed []func()
}

// New makes the policy of the node with configuration cfg over store,
// with no rules until Load.
func New(cfg config.Config, store *models.Store, log *slog.Logger) *Policy {
	p := &Policy{store: store, log: log, allowlist: cfg.FederationMode == config.FederationAllowlist}
	if cfg.BaseURL != nil {
		p.self = strings.ToLower(cfg.BaseURL.Host)
	}
	p.rules = rules{blocked: map[string]string{}, allowed: map[string]string{}, actors: map[string]string{}}
	return p
}

// OnChange adds fn to what is called after a rule changes (in this
// process, or, found by Load, in another): caches of what the node
// serves. Call it before the policy is used.
func (p *Policy) OnChange(fn func()) { p.changed = append(p.changed, fn) }

// Allowlist reports whether the node is in the allowlist mode.
func (p *Policy) Allowlist() bool { return p.allowlist }

// Load reads the rules from the store. It returns the store's error,
// keeping the rules it had.
func (p *Policy) Load(ctx context.Context) error {
	list, err := p.store.Policy.List(ctx)
	if err != nil {
		return err
	}
	r := rules{blocked: map[string]string{}, allowed: map[string]string{}, actors: map[string]string{}}
	marked := false
	for _, rule := range list {
		switch rule.Kind {
		case mpolicy.KindMode:
			marked = rule.Value == mpolicy.ModeAllowlist
		case mpolicy.KindBlock:
			r.blocked[rule.Value] = rule.Reason
		case mpolicy.KindAllow:
			r.allowed[rule.Value] = rule.Reason
		case mpolicy.KindBlockActor:
			r.actors[rule.Value] = rule.Reason
		}
	}
	// The reads hide what the mode hides from the KindMode rule: written
	// here from the configuration, so a restart in the other mode shows
	// or hides the content at once.
	modeChanged := false
	if marked != p.allowlist {
		if modeChanged, err = p.store.Policy.SetMode(ctx, p.allowlist); err != nil {
			return err
		}
	}
	p.mu.Lock()
	same := sameRules(p.rules, r) && !modeChanged
	p.rules = r
	p.mu.Unlock()
	if !same {
		for _, fn := range p.changed {
			fn()
		}
	}
	return nil
}

func sameRules(a, b rules) bool {
	eq := func(x, y map[string]string) bool {
		if len(x) != len(y) {
			return false
		}
		for k := range x {
			if _, ok := y[k]; !ok {
				return false
			}
		}
		return true
	}
	return eq(a.blocked, b.blocked) && eq(a.allowed, b.allowed) && eq(a.actors, b.actors)
}

// Run reloads the rules every RefreshEvery until ctx ends, logging a
// failed load; it returns nil.
func (p *Policy) Run(ctx context.Context) error {
	t := time.NewTicker(RefreshEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := p.Load(ctx); err != nil && ctx.Err() == nil {
				p.log.Warn("could not reload the federation policy", "err", err)
			}
		}
	}
}

// CheckHost returns nil when the node federates with the authority (a
// host, with its port when given; case does not matter), or a *Refusal:
// ErrBlocked for a blocked domain, ErrNotAllowed in the allowlist mode
// for a domain not on the list. The node's own host always passes.
func (p *Policy) CheckHost(authority string) error {
	host := strings.ToLower(authority)
	if host == "" || host == p.self {
		return nil
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	if reason, ok := p.rules.blocked[host]; ok {
		return refusal(ErrBlocked, "the domain "+host+" is blocked by this node", reason)
	}
	if _, ok := p.rules.allowed[host]; p.allowlist && !ok {
		return refusal(ErrNotAllowed, "this node federates only with the domains on its allowlist, and "+host+" is not one", "")
	}
	return nil
}

// CheckURL is CheckHost of an absolute URL's authority (Authority); a URL
// that does not parse passes, for the caller to refuse as it does.
func (p *Policy) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil
	}
	return p.CheckHost(Authority(u))
}

// Authority is the domain a rule would name for u: its host in lower
// case, without a trailing dot, with its port unless it is the scheme's
// default (so that https://example.org:443/ is example.org's).
func Authority(u *url.URL) string {
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	if port == "" || (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		if strings.Contains(host, ":") {
			return "[" + host + "]"
		}
		return host
	}
	return net.JoinHostPort(host, port)
}

// CheckActor is CheckURL of an actor's IRI, and refuses a blocked actor
// with ErrBlocked.
func (p *Policy) CheckActor(iri string) error {
	if err := p.CheckURL(iri); err != nil {
		return err
	}
	p.mu.RLock()
	reason, ok := p.rules.actors[iri]
	p.mu.RUnlock()
	if ok {
		return refusal(ErrBlocked, "the actor "+iri+" is blocked by this node", reason)
	}
	return nil
}

func refusal(kind error, message, reason string) *Refusal {
	if reason != "" {
		message += " (" + reason + ")"
	}
	return &Refusal{Kind: kind, Message: message}
}
