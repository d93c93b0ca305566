package mastoapi

// SearchResults is Mastodon's Search entity.
type SearchResults struct {
	Accounts []Account    `json:"accounts"`
	Statuses []Status     `json:"statuses"`
	Hashtags []HashtagRef `json:"hashtags"`
}

// HashtagRef is Mastodon's Tag entity as a search gives it: the name, the
// page of its case studies, and its use by day (none kept: empty).
type HashtagRef struct {
	Name    string `json:"name"`
	URL     string `json:"url"`
	History []any  `json:"history"`
}
