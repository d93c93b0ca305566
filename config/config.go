// Package config holds the settings of a Pollen node: their defaults, how
// they are read from a YAML file and from POLLEN_* environment variables, and
// how they are checked. It imports no other package of the project.
package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Roles a node can take.
const (
	RoleNode = "node"
	RoleHub  = "hub"
)

// Federation modes: open to every peer but the blocked ones, or to the
// allowed domains only.
const (
	FederationOpen      = "open"
	FederationAllowlist = "allowlist"
)

// Config is the whole configuration of one node. Build it with Load or
// Default; a Config returned by Load has passed Validate.
type Config struct {
	// BaseURL is the public URL every ActivityPub ID is built from.
	BaseURL *url.URL
	// Listen is the address the HTTP server listens on.
	Listen string
	// DataDir holds the SQLite database and anything else kept on disk.
	DataDir string
	// DatabaseURL is a postgres:// URL or a SQLite file path; empty means
	// pollen.db in DataDir.
	DatabaseURL string
	// DatabaseMaxConnections is the size of the PostgreSQL connection
	// pool: how many connections stay open, idle or busy.
	DatabaseMaxConnections int

	// MediaDir holds the uploaded images and documents; empty means
	// media in DataDir (MediaPath).
	MediaDir string
	// MediaMaxImageBytes and MediaMaxPDFBytes are the largest image and
	// PDF uploads accepted, in bytes.
	MediaMaxImageBytes int
	MediaMaxPDFBytes   int

	// The organisation's actor.
	Handle                    string
	Name                      string
	Summary                   string
	OrgType                   string
	Region                    string
	Website                   string
	IconURL                   string
	Role                      string
	ManuallyApprovesFollowers bool
	Discoverable              bool
	Indexable                 bool

	// Regions is the list a case study's region is checked against.
	Regions []string

	// FederationMode is FederationOpen (every peer but the blocked
	// domains and actors) or FederationAllowlist (only the allowed
	// domains may deliver, be fetched or be followed).
	FederationMode string

	// AllowPrivateNetworks lets the node fetch from and deliver to loopback
	// and private addresses (tests and local demos only).
	AllowPrivateNetworks bool

	// Delivery.
	DeliveryRetryBase time.Duration
	DeliveryMaxAge    time.Duration
	DeliveryWorkers   int
	DeliveryPerHost   int
	// DeliveryLease is how long a claimed job stays one process's at most
	// (a dead process's jobs are taken over sooner, by its heartbeat); 0
	// means four HTTP timeouts, at least a minute.
	DeliveryLease time.Duration
	BackfillLimit int
	// DirectoryRefresh is how often the network directory reads each
	// known node's NodeInfo again.
	DirectoryRefresh time.Duration
	// MaxReplyChars is the most characters of text a reply from the
	// fediverse keeps; the rest is cut before it is stored.
	MaxReplyChars       int
	HTTPTimeout         time.Duration
	ShutdownGracePeriod time.Duration

	// Inbox quotas for actors the node does not follow: how much each
	// actor, and each host (its authority, port included), may have
	// stored per hour, in activities and in bytes. 0 turns a quota off.
	InboxActorActivitiesPerHour int
	InboxActorBytesPerHour      int
	InboxHostActivitiesPerHour  int
	InboxHostBytesPerHour       int

	// InboxConcurrency is how many inbox bodies are read at once (a
	// quarter of them from one address); MaxConnsPerAddress how many
	// connections one address may hold open (0: no limit).
	InboxConcurrency   int
	MaxConnsPerAddress int

	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Request-Id the node believes; a request from any other address is
	// logged, and limited, under that address. Empty by default.
	TrustedProxies []netip.Prefix

	// Logging.
	LogLevel  string
	LogFormat string
}

// OrgTypes are the organisation types a node or a case study may name.
var OrgTypes = []string{"council", "public service mutual", "social enterprise", "charity", "other"}

// ITL1Regions are the UK's ITL1 regions, the default region list.
var ITL1Regions = []string{
	"North East", "North West", "Yorkshire and The Humber", "East Midlands",
	"West Midlands", "East of England", "London", "South East", "South West",
	"Wales", "Scotland", "Northern Ireland",
}

// Default returns the configuration a node runs with when nothing is set.
func Default() Config {
	base, _ := url.Parse("http://localhost:8080")
	return Config{
		BaseURL:             base,
		Listen:              "127.0.0.1:8080",
		DataDir:             "./data",
		MediaMaxImageBytes:  8 << 20,
		MediaMaxPDFBytes:    20 << 20,
		Handle:              "pollen",
		Name:                "Pollen node",
		Summary:             "Case studies from our organisation, shared with peers.",
		OrgType:             "other",
		Role:                RoleNode,
		FederationMode:      FederationOpen,
		Discoverable:        true,
		Indexable:           true,
		Regions:             append([]string(nil), ITL1Regions...),
		DeliveryRetryBase:   time.Minute,
		DeliveryMaxAge:      5 * 24 * time.Hour,
		DeliveryWorkers:     16,
		DeliveryPerHost:     4,
		BackfillLimit:       20,
		DirectoryRefresh:    6 * time.Hour,
		MaxReplyChars:       20_000,
		InboxConcurrency:    32,
		MaxConnsPerAddress:  64,
		HTTPTimeout:         15 * time.Second,
		ShutdownGracePeriod: 20 * time.Second,
		// Far above what a peer that is not followed sends (replies,
		// mentions, its follow), and above the whole inbox load test of
		// docs/benchmarks.md (whose senders are followed anyway).
		InboxActorActivitiesPerHour: 1000,
		InboxActorBytesPerHour:      16 << 20,
		InboxHostActivitiesPerHour:  20000,
		InboxHostBytesPerHour:       256 << 20,
		LogLevel:                    "info",
		LogFormat:                   "text",

		// The inbox's concurrency: a burst finds its connections open.
		DatabaseMaxConnections: 32,
	}
}

// Host is the host of the base URL, with its port when it has one: the host
// part of acct: handles and of every ID.
func (c Config) Host() string { return c.BaseURL.Host }

// TrustsProxy reports whether addr is one of the trusted proxies.
func (c Config) TrustsProxy(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range c.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// URL joins path to the base URL.
func (c Config) URL(path string) string {
	return strings.TrimSuffix(c.BaseURL.String(), "/") + path
}

// DatabaseDSN is the database to open: DatabaseURL, or pollen.db in DataDir.
func (c Config) DatabaseDSN() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return filepath.Join(c.DataDir, "pollen.db")
}

// MediaPath is the folder of the uploaded media: MediaDir, or media in
// DataDir.
func (c Config) MediaPath() string {
	if c.MediaDir != "" {
		return c.MediaDir
	}
	return filepath.Join(c.DataDir, "media")
}

// MaxUploadBytes is the largest upload of any kind accepted.
func (c Config) MaxUploadBytes() int { return max(c.MediaMaxImageBytes, c.MediaMaxPDFBytes) }

// IsHub reports whether the node runs as a regional hub.
func (c Config) IsHub() bool { return c.Role == RoleHub }

// Load builds the configuration from the defaults, then the YAML file at path
// (if path is not empty), then the environment (lookup is os.LookupEnv in
// production). It returns an *Error naming the key when a value is bad.
func Load(path string, lookup func(string) (string, bool)) (Config, error) {
	cfg := Default()
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("config: read %s: %w", path, err)
		}
		if err := applyYAML(&cfg, data); err != nil {
			return Config{}, err
		}
	}
	if lookup != nil {
		if err := applyEnv(&cfg, lookup); err != nil {
			return Config{}, err
		}
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// Error is a bad configuration value: Key is the YAML key or the environment
// variable that carried it.
type Error struct {
	Key    string
	Reason string
}

// Error names the key and says what is wrong with its value.
func (e *Error) Error() string { return fmt.Sprintf("config: %s: %s", e.Key, e.Reason) }
