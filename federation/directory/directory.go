// Package directory is the network directory: every node this node knows
// (the organisation itself, the peers it follows, those that follow it,
// the authors of the case studies it received, through a hub or not),
// with what their NodeInfo says (software and version, organisation type,
// region), how many of their case studies it holds and when the latest
// was published, and whether it still answers. Run refreshes it in the
// background, reading NodeInfo with signed GETs a few at a time; a node
// that stops answering is marked dead, never deleted.
package directory

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/models"
)

// Limits of the refresh.
const (
	// Workers is how many nodes' NodeInfo are read at once.
	Workers = 4
	// batch is how many due nodes one round claims, and maxRounds how
	// many rounds one Refresh makes at most.
	batch     = 64
	maxRounds = 100
	// DeadAfter is how many failed reads in a row mark a node dead.
	DeadAfter = 3
	// readTimeout bounds the reading of one node's NodeInfo (both GETs).
	readTimeout = 20 * time.Second
	// maxLinks and maxDoc bound the bodies read.
	maxLinks = 16 << 10
	maxDoc   = 64 << 10
)

// Getter makes a signed GET of rawURL as signer, reading at most limit
// bytes, following redirects only within its origin (the transport).
type Getter interface {
	Get(ctx context.Context, signer models.Actor, rawURL, accept string, limit int64) (status int, body []byte, err error)
}

// Directory keeps and lists the directory of one node.
type Directory struct {
	cfg     config.Config
	store   *models.Store
	get     Getter
	log     *slog.Logger
	now     func() time.Time
	version string
	// wake asks Run for a round now.
	wake chan struct{}
}

// New makes the directory of the node configured by cfg, running Pollen
// version, reading NodeInfo through get.
func New(cfg config.Config, store *models.Store, get Getter, log *slog.Logger, now func() time.Time, version string) *Directory {
	return &Directory{cfg: cfg, store: store, get: get, log: log, now: now, version: version, wake: make(chan struct{}, 1)}
}

// Wake asks Run for a round at once (after a follow, say).
func (d *Directory) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run refreshes the directory at once, then every tenth of the refresh
// interval (at most a minute: newly known nodes show that soon; each node
// is read again once its interval has passed), and when woken, until ctx
// ends; it returns nil then.
func (d *Directory) Run(ctx context.Context) error {
	tick := time.NewTicker(min(max(d.cfg.DirectoryRefresh/10, 100*time.Millisecond), time.Minute))
	defer tick.Stop()
	for {
		if err := d.Refresh(ctx); err != nil && ctx.Err() == nil {
			d.log.Warn("refreshing the network directory", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-d.wake:
		}
	}
}

// Refresh adds the nodes newly known, counts their case studies, and
// reads the NodeInfo of those due, Workers at a time. It returns the
// store's errors; a node that does not answer is recorded, not an error.
func (d *Directory) Refresh(ctx context.Context) error {
	local, err := d.store.Actors.Local(ctx, d.cfg.Handle)
	if err != nil {
		return err
	}
	if _, err := d.store.Nodes.Discover(ctx, local.ID); err != nil {
		return err
	}
	if err := d.store.Nodes.Tally(ctx); err != nil {
		return err
	}
	// A bounded number of rounds: with an interval shorter than a round
	// takes, the nodes would never stop being due.
	for round := 0; round < maxRounds && ctx.Err() == nil; round++ {
		due, err := d.store.Nodes.Due(ctx, batch)
		if err != nil || len(due) == 0 {
			return err
		}
		if err := d.checkAll(ctx, local, due); err != nil {
			return err
		}
	}
	return nil
}

// checkAll reads the NodeInfo of each node of due, Workers at a time,
// and records what it found; it returns the first store error.
func (d *Directory) checkAll(ctx context.Context, local models.Actor, due []models.DueNode) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		slots = make(chan struct{}, Workers)
	)
	for _, n := range due {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			if err := d.check(ctx, local, n); err != nil {
				mu.Lock()
				first = cmpErr(first, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// check reads one node's NodeInfo (the organisation's own is known
// without a request) and records it, or the failure.
func (d *Directory) check(ctx context.Context, local models.Actor, n models.DueNode) error {
	next := d.now().Add(d.cfg.DirectoryRefresh)
	if n.Local {
		return d.store.Nodes.Checked(ctx, n.ID, models.NodeInfoRead{
			Software: "pollen", SoftwareVersion: d.version, OrganisationType: local.OrgType, Region: local.Region,
		}, next)
	}
	info, err := d.read(ctx, local, n.IRI)
	if err != nil {
		d.log.Info("a node's NodeInfo could not be read", "node", n.Host, "err", err, "failures", n.Failures+1)
		return d.store.Nodes.Failed(ctx, n.ID, DeadAfter, next)
	}
	return d.store.Nodes.Checked(ctx, n.ID, models.NodeInfoRead{
		Software: info.Software, SoftwareVersion: info.Version, OrganisationType: info.OrganisationType, Region: info.Region,
	}, next)
}

// read fetches the NodeInfo of the server of actor iri, signed as the
// organisation: the links, then the preferred document, of the same
// origin.
func (d *Directory) read(ctx context.Context, signer models.Actor, iri string) (Info, error) {
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()
	origin := originOf(iri)
	if origin == "" {
		return Info{}, fmt.Errorf("directory: %q has no origin", iri)
	}
	body, err := d.fetch(ctx, signer, origin+"/.well-known/nodeinfo", maxLinks)
	if err != nil {
		return Info{}, err
	}
	href, err := parseLinks(body)
	if err != nil {
		return Info{}, err
	}
	if !ap.SameOrigin(href, iri) {
		return Info{}, fmt.Errorf("directory: NodeInfo at %q, not of %s: %w", href, origin, ErrBadNodeInfo)
	}
	if body, err = d.fetch(ctx, signer, href, maxDoc); err != nil {
		return Info{}, err
	}
	return parseNodeInfo(body)
}

func (d *Directory) fetch(ctx context.Context, signer models.Actor, u string, limit int64) ([]byte, error) {
	status, body, err := d.get.Get(ctx, signer, u, "application/json", limit)
	if err != nil {
		return nil, err
	}
	if status != 200 {
		return nil, fmt.Errorf("directory: GET %s: status %d", u, status)
	}
	return body, nil
}

// originOf is scheme://host of an absolute http(s) URL, or "".
func originOf(iri string) string {
	u, err := url.Parse(iri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
