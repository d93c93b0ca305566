package mastoapi

// DirectoryAccount is an Account of /api/v1/directory: Mastodon's Account
// with what Pollen's directory knows of the node under "pollen".
type DirectoryAccount struct {
	Account
	Pollen DirectoryNode `json:"pollen"`
}

// DirectoryNode is what the directory knows of a node: its organisation
// type and region, its software and version (from its NodeInfo; null
// before it was read), the case studies this node holds of it and when
// the latest was published, whether the organisation follows it, whether
// it stopped answering (dead), when its NodeInfo was last read, and how
// it became known (self, following, follower, announced).
type DirectoryNode struct {
	OrganisationType string    `json:"organisation_type"`
	Region           string    `json:"region"`
	Software         *Software `json:"software"`
	CaseStudies      int64     `json:"case_studies"`
	LastActivity     *string   `json:"last_activity"`
	Following        bool      `json:"following"`
	Dead             bool      `json:"dead"`
	CheckedAt        *string   `json:"checked_at"`
	KnownThrough     string    `json:"known_through"`
}

// Software is a node's software as its NodeInfo names it.
type Software struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}
