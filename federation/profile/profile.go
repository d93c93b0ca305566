// Package profile is the organisation's profile as the node shows it:
// the configuration's values until the staff save one in the admin area
// (models/profile), then the saved one. It is held in memory, so that
// every page reads it without a query: a save in this process shows at
// once, one made by another process within RefreshEvery.
package profile

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// RefreshEvery is how often Run reads the saved profile again, for the
// saves of other processes.
const RefreshEvery = 30 * time.Second

// The longest values a profile keeps, in characters.
const (
	MaxName    = 100
	MaxSummary = 500
	MaxWebsite = 2000
)

// Profile is the organisation as the node shows it.
type Profile struct {
	Name, Summary, Website, Region, OrgType string
	// IconURL is the icon's address and IconMediaType its type; both
	// empty for the node's default icon.
	IconURL, IconMediaType string
	// Saved tells a profile saved by the staff from the configuration's;
	// Who saved it and when.
	Saved     bool
	Who       string
	UpdatedAt time.Time
}

// Defaults is the profile of cfg, the node's until one is saved.
func Defaults(cfg config.Config) Profile {
	return Profile{Name: cfg.Name, Summary: cfg.Summary, Website: cfg.Website, Region: cfg.Region, OrgType: cfg.OrgType, IconURL: cfg.IconURL}
}

// Live is the node's profile, held in memory. It is safe for concurrent
// use.
type Live struct {
	cfg   config.Config
	store *models.Store
	log   *slog.Logger

	mu      sync.RWMutex
	cur     Profile
	changed []func()
}

// New makes the profile of the node configured by cfg over store: the
// configuration's until Load finds a saved one.
func New(cfg config.Config, store *models.Store, log *slog.Logger) *Live {
	return &Live{cfg: cfg, store: store, log: log, cur: Defaults(cfg)}
}

// OnChange adds fn to what is called after the profile changes (saved in
// this process, or found by Load): caches of what the node serves. Call
// it before the profile is used.
func (l *Live) OnChange(fn func()) { l.changed = append(l.changed, fn) }

// Current is the profile as the node shows it now.
func (l *Live) Current() Profile {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur
}

// Load reads the saved profile from the store (keeping the
// configuration's while none is saved). It returns the store's error,
// keeping the profile it had.
func (l *Live) Load(ctx context.Context) error {
	row, err := l.store.Profile.Get(ctx)
	switch {
	case errors.Is(err, models.ErrNotFound):
		l.set(Defaults(l.cfg))
		return nil
	case err != nil:
		return err
	}
	l.set(fromRow(row))
	return nil
}

// Run reloads the saved profile every RefreshEvery until ctx ends.
func (l *Live) Run(ctx context.Context) error {
	t := time.NewTicker(RefreshEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := l.Load(ctx); err != nil && ctx.Err() == nil {
				l.log.Warn("could not reload the profile", "err", err)
			}
		}
	}
}

// set makes p the current profile, calling the OnChange functions when
// it differs.
func (l *Live) set(p Profile) {
	l.mu.Lock()
	was := l.cur
	same := was.UpdatedAt.Equal(p.UpdatedAt)
	was.UpdatedAt = p.UpdatedAt
	same = same && was == p
	l.cur = p
	l.mu.Unlock()
	if !same {
		for _, fn := range l.changed {
			fn()
		}
	}
}

// Save checks p, then stores it as the saved profile through tx (a
// transaction's store, with the audit entry the caller writes) and, once
// fn returns nil, makes it current. It returns a 422 *apperr.Error naming
// each field that is wrong (name, summary, website, region,
// organisation_type), or the store's or fn's error, changing nothing.
func (l *Live) Save(ctx context.Context, who string, p Profile, fn func(tx *models.Store, p Profile) error) (Profile, error) {
	p, err := l.Check(p)
	if err != nil {
		return p, err
	}
	row := toRow(p)
	row.Who = who
	err = l.store.Atomically(ctx, func(tx *models.Store) error {
		if err := tx.Profile.Save(ctx, &row); err != nil {
			return err
		}
		return fn(tx, fromRow(row))
	})
	if err != nil {
		return p, err
	}
	p = fromRow(row)
	l.set(p)
	return p, nil
}

// Check trims p's fields and checks them as Save does, returning the
// trimmed profile and a 422 *apperr.Error naming each field that is
// wrong.
func (l *Live) Check(p Profile) (Profile, error) {
	p.Name, p.Summary, p.Website = strings.TrimSpace(p.Name), strings.TrimSpace(p.Summary), strings.TrimSpace(p.Website)
	p.Region, p.OrgType = strings.TrimSpace(p.Region), strings.TrimSpace(p.OrgType)
	bad := map[string]string{}
	switch n := utf8.RuneCountInString(p.Name); {
	case n == 0:
		bad["name"] = "Enter the organisation's name"
	case n > MaxName:
		bad["name"] = fmt.Sprintf("The name must be %d characters or fewer", MaxName)
	}
	if utf8.RuneCountInString(p.Summary) > MaxSummary {
		bad["summary"] = fmt.Sprintf("The summary must be %d characters or fewer", MaxSummary)
	}
	if p.Website != "" {
		u, err := url.Parse(p.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(p.Website) > MaxWebsite {
			bad["website"] = "Enter the website's full address, starting with https://"
		}
	}
	if p.Region != "" && !slices.Contains(l.cfg.Regions, p.Region) {
		bad["region"] = "Choose a region from the list"
	}
	if !slices.Contains(config.OrgTypes, p.OrgType) {
		bad["organisation_type"] = "Choose the type of organisation"
	}
	if len(bad) > 0 {
		return p, apperr.InvalidFields(bad)
	}
	return p, nil
}

func fromRow(r models.Profile) Profile {
	return Profile{Name: r.Name, Summary: r.Summary, Website: r.Website, Region: r.Region, OrgType: r.OrgType,
		IconURL: r.IconURL, IconMediaType: r.IconMediaType, Saved: true, Who: r.Who, UpdatedAt: r.UpdatedAt}
}

func toRow(p Profile) models.Profile {
	return models.Profile{Name: p.Name, Summary: p.Summary, Website: p.Website, Region: p.Region, OrgType: p.OrgType,
		IconURL: p.IconURL, IconMediaType: p.IconMediaType}
}
