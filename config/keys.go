package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// key is one setting: its YAML name (the environment variable is POLLEN_ and
// the name in upper case) and how a text value is stored.
type key struct {
	name string
	set  func(c *Config, v string) error
}

// EnvName is the environment variable that sets the YAML key name.
func EnvName(name string) string { return "POLLEN_" + strings.ToUpper(name) }

var keys = []key{
	{"base_url", func(c *Config, v string) error {
		u, err := parseBaseURL(v)
		if err != nil {
			return err
		}
		c.BaseURL = u
		return nil
	}},
	{"listen", str(func(c *Config) *string { return &c.Listen })},
	{"data_dir", str(func(c *Config) *string { return &c.DataDir })},
	{"database_url", str(func(c *Config) *string { return &c.DatabaseURL })},
	{"database_max_connections", integer(func(c *Config) *int { return &c.DatabaseMaxConnections })},
	{"media_dir", str(func(c *Config) *string { return &c.MediaDir })},
	{"media_max_image_bytes", integer(func(c *Config) *int { return &c.MediaMaxImageBytes })},
	{"media_max_pdf_bytes", integer(func(c *Config) *int { return &c.MediaMaxPDFBytes })},
	{"handle", str(func(c *Config) *string { return &c.Handle })},
	{"name", str(func(c *Config) *string { return &c.Name })},
	{"summary", str(func(c *Config) *string { return &c.Summary })},
	{"org_type", str(func(c *Config) *string { return &c.OrgType })},
	{"region", str(func(c *Config) *string { return &c.Region })},
	{"website", str(func(c *Config) *string { return &c.Website })},
	{"icon_url", str(func(c *Config) *string { return &c.IconURL })},
	{"role", str(func(c *Config) *string { return &c.Role })},
	{"federation_mode", str(func(c *Config) *string { return &c.FederationMode })},
	{"regions", func(c *Config, v string) error {
		var list []string
		for _, r := range strings.Split(v, ",") {
			if r = strings.TrimSpace(r); r != "" {
				list = append(list, r)
			}
		}
		c.Regions = list
		return nil
	}},
	{"manually_approves_followers", boolean(func(c *Config) *bool { return &c.ManuallyApprovesFollowers })},
	{"discoverable", boolean(func(c *Config) *bool { return &c.Discoverable })},
	{"indexable", boolean(func(c *Config) *bool { return &c.Indexable })},
	{"allow_private_networks", boolean(func(c *Config) *bool { return &c.AllowPrivateNetworks })},
	{"delivery_retry_base", duration(func(c *Config) *time.Duration { return &c.DeliveryRetryBase })},
	{"delivery_max_age", duration(func(c *Config) *time.Duration { return &c.DeliveryMaxAge })},
	{"delivery_workers", integer(func(c *Config) *int { return &c.DeliveryWorkers })},
	{"delivery_per_host", integer(func(c *Config) *int { return &c.DeliveryPerHost })},
	{"delivery_lease", duration(func(c *Config) *time.Duration { return &c.DeliveryLease })},
	{"backfill_limit", integer(func(c *Config) *int { return &c.BackfillLimit })},
	{"directory_refresh_interval", duration(func(c *Config) *time.Duration { return &c.DirectoryRefresh })},
	{"max_reply_chars", integer(func(c *Config) *int { return &c.MaxReplyChars })},
	{"http_timeout", duration(func(c *Config) *time.Duration { return &c.HTTPTimeout })},
	{"shutdown_grace_period", duration(func(c *Config) *time.Duration { return &c.ShutdownGracePeriod })},
	{"inbox_actor_activities_per_hour", integer(func(c *Config) *int { return &c.InboxActorActivitiesPerHour })},
	{"inbox_actor_bytes_per_hour", integer(func(c *Config) *int { return &c.InboxActorBytesPerHour })},
	{"inbox_host_activities_per_hour", integer(func(c *Config) *int { return &c.InboxHostActivitiesPerHour })},
	{"inbox_host_bytes_per_hour", integer(func(c *Config) *int { return &c.InboxHostBytesPerHour })},
	{"inbox_concurrency", integer(func(c *Config) *int { return &c.InboxConcurrency })},
	{"max_connections_per_address", integer(func(c *Config) *int { return &c.MaxConnsPerAddress })},
	{"trusted_proxies", func(c *Config, v string) error {
		list, err := parsePrefixes(v)
		if err != nil {
			return err
		}
		c.TrustedProxies = list
		return nil
	}},
	{"log_level", str(func(c *Config) *string { return &c.LogLevel })},
	{"log_format", str(func(c *Config) *string { return &c.LogFormat })},
}

func str(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *field(c) = v; return nil }
}

func boolean(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
		*field(c) = b
		return nil
	}
}

func integer(field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return fmt.Errorf("%q is not a whole number of zero or more", v)
		}
		*field(c) = n
		return nil
	}
}

func duration(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d <= 0 {
			return fmt.Errorf("%q is not a positive Go duration such as 30s or 5m", v)
		}
		*field(c) = d
		return nil
	}
}

// parsePrefixes reads a comma-separated list of CIDRs (10.0.0.0/8,
// ::1/128); a bare address is a prefix of that one address.
func parsePrefixes(v string) ([]netip.Prefix, error) {
	var list []netip.Prefix
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("%q is not an IP address or a CIDR such as 10.0.0.0/8", part)
			}
			a = a.Unmap()
			list = append(list, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8", part)
		}
		list = append(list, p.Masked())
	}
	return list, nil
}

func parseBaseURL(v string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute http or https URL", v)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%q must be a scheme, host and optional port only", v)
	}
	u.Path = ""
	u.Host = strings.ToLower(u.Host)
	return u, nil
}

func applyYAML(c *Config, data []byte) error {
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return &Error{Key: "config file", Reason: err.Error()}
	}
	for name, value := range raw {
		i := slices.IndexFunc(keys, func(k key) bool { return k.name == name })
		if i < 0 {
			return &Error{Key: name, Reason: "unknown key"}
		}
		text := fmt.Sprint(value)
		if list, ok := value.([]any); ok {
			parts := make([]string, len(list))
			for j, p := range list {
				parts[j] = fmt.Sprint(p)
			}
			text = strings.Join(parts, ",")
		}
		if err := keys[i].set(c, text); err != nil {
			return &Error{Key: name, Reason: err.Error()}
		}
	}
	return nil
}

func applyEnv(c *Config, lookup func(string) (string, bool)) error {
	for _, k := range keys {
		v, ok := lookup(EnvName(k.name))
		if !ok {
			continue
		}
		if err := k.set(c, v); err != nil {
			return &Error{Key: EnvName(k.name), Reason: err.Error()}
		}
	}
	return nil
}

// bad names a key by its YAML name and its environment variable.
func bad(name, reason string) error {
	return &Error{Key: name + " (" + EnvName(name) + ")", Reason: reason}
}

var handlePattern = regexp.MustCompile(`^[a-z0-9_][a-z0-9_.-]{0,62}$`)

// Validate checks the values that depend on each other or on a fixed list.
// It returns an *Error naming the first bad key.
func (c Config) Validate() error {
	switch {
	case c.BaseURL == nil:
		return bad("base_url", "must be set")
	case c.Listen == "":
		return bad("listen", "must be set")
	case !handlePattern.MatchString(c.Handle):
		return bad("handle", fmt.Sprintf("%q must be lower-case letters, digits, '_', '.' or '-'", c.Handle))
	case strings.TrimSpace(c.Name) == "":
		return bad("name", "must not be empty")
	case c.Role != RoleNode && c.Role != RoleHub:
		return bad("role", fmt.Sprintf("%q is not node or hub", c.Role))
	case c.FederationMode != FederationOpen && c.FederationMode != FederationAllowlist:
		return bad("federation_mode", fmt.Sprintf("%q is not open or allowlist", c.FederationMode))
	case !slices.Contains(OrgTypes, c.OrgType):
		return bad("org_type", fmt.Sprintf("%q is not one of %s", c.OrgType, strings.Join(OrgTypes, ", ")))
	case len(c.Regions) == 0:
		return bad("regions", "must list at least one region")
	case c.Region != "" && !slices.Contains(c.Regions, c.Region):
		return bad("region", fmt.Sprintf("%q is not in the regions list", c.Region))
	case c.DatabaseMaxConnections < 1:
		return bad("database_max_connections", "must be at least 1")
	case c.DeliveryWorkers < 1:
		return bad("delivery_workers", "must be at least 1")
	case c.DeliveryPerHost < 1:
		return bad("delivery_per_host", "must be at least 1")
	case c.MaxReplyChars < 100:
		return bad("max_reply_chars", "must be at least 100")
	case c.MediaMaxImageBytes < 1<<10:
		return bad("media_max_image_bytes", "must be at least 1024")
	case c.MediaMaxPDFBytes < 1<<10:
		return bad("media_max_pdf_bytes", "must be at least 1024")
	case c.InboxConcurrency < 1:
		return bad("inbox_concurrency", "must be at least 1")
	case c.DeliveryLease != 0 && c.DeliveryLease < 2*c.HTTPTimeout:
		return bad("delivery_lease", fmt.Sprintf("%s must be 0 (the default) or at least twice http_timeout (%s), so that no job is taken while in flight", c.DeliveryLease, c.HTTPTimeout))
	case c.LogLevel != "debug" && c.LogLevel != "info" && c.LogLevel != "warn" && c.LogLevel != "error":
		return bad("log_level", fmt.Sprintf("%q is not debug, info, warn or error", c.LogLevel))
	case c.LogFormat != "text" && c.LogFormat != "json":
		return bad("log_format", fmt.Sprintf("%q is not text or json", c.LogFormat))
	}
	if _, port, err := net.SplitHostPort(c.Listen); err != nil || port == "" {
		return bad("listen", fmt.Sprintf("%q is not a host:port address such as 127.0.0.1:8080", c.Listen))
	}
	if c.Website != "" {
		if u, err := url.Parse(c.Website); err != nil || u.Scheme == "" || u.Host == "" {
			return bad("website", fmt.Sprintf("%q is not an absolute URL", c.Website))
		}
	}
	return nil
}
