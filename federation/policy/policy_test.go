package policy_test

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/policy"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/testrig"
)

// TestDomain: what is typed becomes an authority, in lower case, with
// its port; anything else is a 422 naming the field.
func TestDomain(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"example.org", "example.org"},
		{"  Example.ORG ", "example.org"},
		{"example.org:8443", "example.org:8443"},
		{"https://Social.Example.org/users/alex", "social.example.org"},
		{"http://127.0.0.1:3000/actors/org", "127.0.0.1:3000"},
		{"@alex@example.org", "example.org"},
		{"https://example.org:443/users/a", "example.org"},
		{"http://example.org:80/", "example.org"},
		{"https://example.org:80/", "example.org:80"},
		{"example.org.", "example.org"},
		{"xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"", ""},
		{"example.org:0", ""},
		{"example.org:99999", ""},
		{"example.org:08", ""},
		{"exa mple.org", ""},
		{"-bad.example", ""},
		{"a..b", ""},
		{"example.org/path", ""},
		{"<script>", ""},
	} {
		got, err := policy.Domain(tc.in)
		var e *apperr.Error
		switch {
		case tc.want == "" && (!errors.As(err, &e) || e.Fields["domain"] == ""):
			t.Errorf("Domain(%q) = %q, %v; want a 422 naming domain", tc.in, got, err)
		case tc.want != "" && (err != nil || got != tc.want):
			t.Errorf("Domain(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// TestChecks: blocks and the allowlist as the inbox, the fetcher and the
// deliveries ask them, across a reload by another process.
func TestChecks(t *testing.T) {
	ctx := context.Background()
	store := testrig.Store(t, testrig.SQLite(t))
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("https://self.example")
	open := policy.New(cfg, store, testrig.Logger(t))
	cfg.FederationMode = config.FederationAllowlist
	closed := policy.New(cfg, store, testrig.Logger(t))
	who := policy.Who{Name: "command line"}
	if _, err := open.Block(ctx, who, "Bad.Example:8443", "spam"); err != nil {
		t.Fatal(err)
	}
	if _, err := open.BlockActor(ctx, who, "https://ok.example/users/troll", ""); err != nil {
		t.Fatal(err)
	}
	if err := open.Allow(ctx, who, "ok.example", ""); err != nil {
		t.Fatal(err)
	}
	changed := 0
	closed.OnChange(func() { changed++ })
	if err := closed.Load(ctx); err != nil || changed != 1 {
		t.Fatalf("Load = %v, %d changes; want 1", err, changed)
	}
	for _, tc := range []struct {
		iri                 string
		inOpen, inAllowlist error
	}{
		{"https://bad.example:8443/users/a", policy.ErrBlocked, policy.ErrBlocked},
		{"https://bad.example/users/a", nil, policy.ErrNotAllowed},
		{"https://ok.example/users/troll", policy.ErrBlocked, policy.ErrBlocked},
		{"https://ok.example/users/friend", nil, nil},
		{"https://other.example/users/a", nil, policy.ErrNotAllowed},
		{"https://self.example/actors/org", nil, nil},
		{"https://BAD.example.:8443/users/a", policy.ErrBlocked, policy.ErrBlocked},
		{"https://ok.example:443/users/friend", nil, nil},
	} {
		for _, p := range []struct {
			p    *policy.Policy
			want error
		}{{open, tc.inOpen}, {closed, tc.inAllowlist}} {
			err := p.p.CheckActor(tc.iri)
			if (p.want == nil) != (err == nil) || (p.want != nil && !errors.Is(err, p.want)) {
				t.Errorf("CheckActor(%s), allowlist %v = %v, want %v", tc.iri, p.p.Allowlist(), err, p.want)
			}
		}
	}
	for _, tc := range []struct {
		name string
		err  error
		kind apperr.Kind
	}{
		{"blocked twice", func() error { _, err := open.Block(ctx, who, "bad.example:8443", ""); return err }(), apperr.Conflict},
		{"own domain", func() error { _, err := open.Block(ctx, who, "self.example", ""); return err }(), apperr.Unprocessable},
		{"own actor", func() error { _, err := open.BlockActor(ctx, who, "https://self.example/actors/org", ""); return err }(), apperr.Unprocessable},
		{"not an actor", func() error { _, err := open.BlockActor(ctx, who, "troll", ""); return err }(), apperr.Unprocessable},
		{"unblock unknown", open.Unblock(ctx, who, "never.example"), apperr.NotFound},
		{"disallow unknown", open.Disallow(ctx, who, "never.example"), apperr.NotFound},
	} {
		var e *apperr.Error
		if !errors.As(tc.err, &e) || e.Kind != tc.kind {
			t.Errorf("%s: %v, want a %v *apperr.Error", tc.name, tc.err, tc.kind)
		}
	}
	if err := open.Unblock(ctx, who, "https://bad.example:8443/"); err != nil {
		t.Fatal(err)
	}
	if err := open.CheckHost("BAD.example:8443"); err != nil {
		t.Errorf("after Unblock: %v", err)
	}
	log, _, err := store.Audit.List(ctx, 10, 0)
	if err != nil || len(log) != 4 || log[0].Action != "unblocked" || log[0].Target != "bad.example:8443" || log[3].Title != "spam" {
		t.Errorf("audit log = %+v, %v", log, err)
	}
	v, err := open.List(ctx)
	if err != nil || len(v.Blocked) != 0 || len(v.Allowed) != 1 || len(v.BlockedActors) != 1 || v.Allowlist {
		t.Errorf("List = %+v, %v", v, err)
	}
}

// TestLoadWritesMode: Load writes the allowlist mode's rule for the reads
// from the configuration, once, and a node loaded in the open mode
// removes it again; each change calls OnChange.
func TestLoadWritesMode(t *testing.T) {
	ctx := context.Background()
	store := testrig.Store(t, testrig.SQLite(t))
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("https://self.example")
	open := policy.New(cfg, store, testrig.Logger(t))
	cfg.FederationMode = config.FederationAllowlist
	closed := policy.New(cfg, store, testrig.Logger(t))
	changed := 0
	for _, p := range []*policy.Policy{open, closed} {
		p.OnChange(func() { changed++ })
	}
	for _, step := range []struct {
		p           *policy.Policy
		wantMarked  bool
		wantChanges int
	}{
		{closed, true, 1}, {closed, true, 1}, {open, false, 2}, {open, false, 2},
	} {
		if err := step.p.Load(ctx); err != nil {
			t.Fatal(err)
		}
		rules, err := store.Policy.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		marked := len(rules) == 1 && rules[0].Kind == "mode" && rules[0].Value == "allowlist"
		if marked != step.wantMarked || (!marked && len(rules) != 0) || changed != step.wantChanges {
			t.Errorf("after Load, allowlist %v: rules %+v, %d changes; want marked %v, %d changes", step.p.Allowlist(), rules, changed, step.wantMarked, step.wantChanges)
		}
	}
}
