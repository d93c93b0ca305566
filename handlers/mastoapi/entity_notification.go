package mastoapi

// Notification is Mastodon's Notification entity; Status is set for a
// mention or a reblog.
type Notification struct {
	ID        string  `json:"id"`
	Type      string  `json:"type"`
	CreatedAt string  `json:"created_at"`
	GroupKey  string  `json:"group_key"`
	Account   Account `json:"account"`
	Status    *Status `json:"status,omitempty"`
}

// Marker is Mastodon's Marker entity: a read position in a timeline.
type Marker struct {
	LastReadID string `json:"last_read_id"`
	Version    int64  `json:"version"`
	UpdatedAt  string `json:"updated_at"`
}
