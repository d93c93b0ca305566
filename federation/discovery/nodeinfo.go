package discovery

import (
	"context"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// NodeInfoLinks is the /.well-known/nodeinfo document.
func (s *Discovery) NodeInfoLinks() map[string][]Link {
	return map[string][]Link{"links": {
		{Rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", Href: s.cfg.URL("/nodeinfo/2.0")},
		{Rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", Href: s.cfg.URL("/nodeinfo/2.1")},
	}}
}

// NodeInfo is a NodeInfo 2.0 or 2.1 document.
type NodeInfo struct {
	Version           string           `json:"version"`
	Software          NodeInfoSoftware `json:"software"`
	Protocols         []string         `json:"protocols"`
	Services          NodeInfoServices `json:"services"`
	OpenRegistrations bool             `json:"openRegistrations"`
	Usage             NodeInfoUsage    `json:"usage"`
	Metadata          map[string]any   `json:"metadata"`
}

// NodeInfoSoftware names the software.
type NodeInfoSoftware struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Repository string `json:"repository,omitempty"`
	Homepage   string `json:"homepage,omitempty"`
}

// NodeInfoServices lists inbound and outbound services (none).
type NodeInfoServices struct {
	Inbound  []string `json:"inbound"`
	Outbound []string `json:"outbound"`
}

// NodeInfoUsage counts users and posts.
type NodeInfoUsage struct {
	Users      NodeInfoUsers `json:"users"`
	LocalPosts int64         `json:"localPosts"`
}

// NodeInfoUsers counts users.
type NodeInfoUsers struct {
	Total          int `json:"total"`
	ActiveMonth    int `json:"activeMonth"`
	ActiveHalfyear int `json:"activeHalfyear"`
}

// NodeInfoProfile returns the Content-Type of a NodeInfo version.
func NodeInfoProfile(version string) string {
	return `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/` + version + `#"`
}

// NodeInfo returns the NodeInfo document of the given version ("2.0" or
// "2.1"), or a 404 *apperr.Error for another.
func (s *Discovery) NodeInfo(ctx context.Context, version string) (NodeInfo, error) {
	if version != "2.0" && version != "2.1" {
		return NodeInfo{}, apperr.Errorf(apperr.NotFound, "no NodeInfo version %q here", version)
	}
	_, posts, err := s.store.CaseStudies.List(ctx, models.CaseStudyQuery{LocalOnly: true, Limit: 1})
	if err != nil {
		return NodeInfo{}, err
	}
	actors, err := s.store.Actors.ListLocal(ctx)
	if err != nil {
		return NodeInfo{}, err
	}
	n := len(actors)
	// The organisation's actor carries its profile as saved (or
	// configured) last.
	org := models.Actor{Name: s.cfg.Name, Summary: s.cfg.Summary, OrgType: s.cfg.OrgType, Region: s.cfg.Region}
	for _, a := range actors {
		if a.Handle == s.cfg.Handle {
			org = a
		}
	}
	ni := NodeInfo{
		Version:   version,
		Software:  NodeInfoSoftware{Name: "pollen", Version: s.version},
		Protocols: []string{"activitypub"},
		Services:  NodeInfoServices{Inbound: []string{}, Outbound: []string{}},
		Usage:     NodeInfoUsage{Users: NodeInfoUsers{Total: n, ActiveMonth: n, ActiveHalfyear: n}, LocalPosts: posts},
		Metadata: map[string]any{
			"nodeName":         org.Name,
			"nodeDescription":  org.Summary,
			"organisationType": org.OrgType,
			"region":           org.Region,
			"role":             s.cfg.Role,
			// Clients that tell servers apart by NodeInfo (megalodon)
			// speak Mastodon's API to Pollen for this.
			"upstream": map[string]string{"name": "mastodon"},
		},
	}
	if version == "2.1" {
		ni.Software.Repository = "https://github.com/pollen-coop/pollen"
		ni.Software.Homepage = "https://github.com/pollen-coop/pollen"
	}
	return ni, nil
}

// HostMeta is the /.well-known/host-meta XRD document.
func (s *Discovery) HostMeta() string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" type="application/xrd+xml" template="` + s.cfg.URL("/.well-known/webfinger") + `?resource={uri}"/>
</XRD>
`
}
