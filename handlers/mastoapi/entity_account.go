package mastoapi

// Account is Mastodon's Account entity.
type Account struct {
	ID             string   `json:"id"`
	Username       string   `json:"username"`
	Acct           string   `json:"acct"`
	URL            string   `json:"url"`
	URI            string   `json:"uri"`
	DisplayName    string   `json:"display_name"`
	Note           string   `json:"note"`
	Avatar         string   `json:"avatar"`
	AvatarStatic   string   `json:"avatar_static"`
	Header         string   `json:"header"`
	HeaderStatic   string   `json:"header_static"`
	Locked         bool     `json:"locked"`
	Fields         []Field  `json:"fields"`
	Emojis         []Emoji  `json:"emojis"`
	Bot            bool     `json:"bot"`
	Group          bool     `json:"group"`
	Discoverable   bool     `json:"discoverable"`
	Indexable      bool     `json:"indexable"`
	Noindex        bool     `json:"noindex"`
	Roles          []Role   `json:"roles"`
	CreatedAt      string   `json:"created_at"`
	LastStatusAt   *string  `json:"last_status_at"`
	StatusesCount  int64    `json:"statuses_count"`
	FollowersCount int64    `json:"followers_count"`
	FollowingCount int64    `json:"following_count"`
	Moved          *Account `json:"moved,omitempty"`
}

// Field is a profile field of an Account; its value is HTML.
type Field struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

// Emoji is Mastodon's CustomEmoji entity.
type Emoji struct {
	Shortcode       string `json:"shortcode"`
	URL             string `json:"url"`
	StaticURL       string `json:"static_url"`
	VisibleInPicker bool   `json:"visible_in_picker"`
}

// Role is a role an Account shows on its profile.
type Role struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color"`
}
