package mastoapi

// CredentialAccount is Mastodon's CredentialAccount entity: the user's
// own Account with the source of its profile.
type CredentialAccount struct {
	Account
	Source Source `json:"source"`
}

// Source is the source of a CredentialAccount's profile: the note as
// plain text and the defaults of new statuses.
type Source struct {
	Note                string  `json:"note"`
	Fields              []Field `json:"fields"`
	Privacy             string  `json:"privacy"`
	Sensitive           bool    `json:"sensitive"`
	Language            string  `json:"language"`
	FollowRequestsCount int64   `json:"follow_requests_count"`
}
