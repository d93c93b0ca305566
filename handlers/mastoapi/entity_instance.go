package mastoapi

// InstanceV1 is Mastodon's V1::Instance entity, the answer of
// GET /api/v1/instance.
type InstanceV1 struct {
	URI              string          `json:"uri"`
	Title            string          `json:"title"`
	ShortDescription string          `json:"short_description"`
	Description      string          `json:"description"`
	Email            string          `json:"email"`
	Version          string          `json:"version"`
	URLs             InstanceURLsV1  `json:"urls"`
	Stats            InstanceStats   `json:"stats"`
	Thumbnail        string          `json:"thumbnail"`
	Languages        []string        `json:"languages"`
	Registrations    bool            `json:"registrations"`
	ApprovalRequired bool            `json:"approval_required"`
	InvitesEnabled   bool            `json:"invites_enabled"`
	Configuration    ConfigurationV1 `json:"configuration"`
	ContactAccount   Account         `json:"contact_account"`
	Rules            []Rule          `json:"rules"`
}

// InstanceURLsV1 are a V1::Instance's URLs; without streaming there is
// no streaming_api.
type InstanceURLsV1 struct {
	StreamingAPI string `json:"streaming_api,omitempty"`
}

// InstanceStats are a V1::Instance's counts.
type InstanceStats struct {
	UserCount   int64 `json:"user_count"`
	StatusCount int64 `json:"status_count"`
	DomainCount int64 `json:"domain_count"`
}

// ConfigurationV1 is a V1::Instance's configuration.
type ConfigurationV1 struct {
	Accounts         AccountLimitsV1 `json:"accounts"`
	Statuses         StatusLimits    `json:"statuses"`
	MediaAttachments MediaLimits     `json:"media_attachments"`
	Polls            PollLimits      `json:"polls"`
}

// AccountLimitsV1 are a V1::Instance's limits on accounts.
type AccountLimitsV1 struct {
	MaxFeaturedTags int `json:"max_featured_tags"`
}

// StatusLimits are the limits on a posted status.
type StatusLimits struct {
	MaxCharacters            int `json:"max_characters"`
	MaxMediaAttachments      int `json:"max_media_attachments"`
	CharactersReservedPerURL int `json:"characters_reserved_per_url"`
}

// MediaLimits are the limits on uploaded media.
type MediaLimits struct {
	SupportedMIMETypes  []string `json:"supported_mime_types"`
	DescriptionLimit    int      `json:"description_limit"`
	ImageSizeLimit      int      `json:"image_size_limit"`
	ImageMatrixLimit    int      `json:"image_matrix_limit"`
	VideoSizeLimit      int      `json:"video_size_limit"`
	VideoFrameRateLimit int      `json:"video_frame_rate_limit"`
	VideoMatrixLimit    int      `json:"video_matrix_limit"`
}

// PollLimits are the limits on a poll.
type PollLimits struct {
	MaxOptions             int `json:"max_options"`
	MaxCharactersPerOption int `json:"max_characters_per_option"`
	MinExpiration          int `json:"min_expiration"`
	MaxExpiration          int `json:"max_expiration"`
}

// Rule is one of an instance's rules.
type Rule struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Hint string `json:"hint"`
}

// Instance is Mastodon's (v2) Instance entity, the answer of
// GET /api/v2/instance.
type Instance struct {
	Domain        string        `json:"domain"`
	Title         string        `json:"title"`
	Version       string        `json:"version"`
	SourceURL     string        `json:"source_url"`
	Description   string        `json:"description"`
	Usage         InstanceUsage `json:"usage"`
	Thumbnail     Thumbnail     `json:"thumbnail"`
	Languages     []string      `json:"languages"`
	Configuration Configuration `json:"configuration"`
	Registrations Registrations `json:"registrations"`
	APIVersions   APIVersions   `json:"api_versions"`
	Contact       Contact       `json:"contact"`
	Rules         []Rule        `json:"rules"`
}

// InstanceUsage is how much the instance is used.
type InstanceUsage struct {
	Users struct {
		ActiveMonth int64 `json:"active_month"`
	} `json:"users"`
}

// Thumbnail is the instance's image.
type Thumbnail struct {
	URL string `json:"url"`
}

// Configuration is an Instance's configuration.
type Configuration struct {
	URLs             ConfigurationURLs `json:"urls"`
	Accounts         AccountLimits     `json:"accounts"`
	Statuses         StatusLimits      `json:"statuses"`
	MediaAttachments MediaLimits       `json:"media_attachments"`
	Polls            PollLimits        `json:"polls"`
	Translation      Translation       `json:"translation"`
}

// ConfigurationURLs are an Instance's URLs; without streaming there is
// no streaming.
type ConfigurationURLs struct {
	Streaming string `json:"streaming,omitempty"`
}

// AccountLimits are an Instance's limits on accounts.
type AccountLimits struct {
	MaxFeaturedTags   int `json:"max_featured_tags"`
	MaxPinnedStatuses int `json:"max_pinned_statuses"`
}

// Translation says whether statuses may be translated.
type Translation struct {
	Enabled bool `json:"enabled"`
}

// Registrations says whether and how anyone may sign up.
type Registrations struct {
	Enabled          bool    `json:"enabled"`
	ApprovalRequired bool    `json:"approval_required"`
	Message          *string `json:"message"`
}

// APIVersions are the versions of the APIs the instance speaks.
type APIVersions struct {
	Mastodon int `json:"mastodon"`
}

// Contact is whom to contact about the instance.
type Contact struct {
	Email   string  `json:"email"`
	Account Account `json:"account"`
}
