package mastoapi

// Status is Mastodon's Status entity.
type Status struct {
	ID                 string            `json:"id"`
	URI                string            `json:"uri"`
	URL                string            `json:"url"`
	CreatedAt          string            `json:"created_at"`
	EditedAt           *string           `json:"edited_at"`
	Account            Account           `json:"account"`
	Content            string            `json:"content"`
	Visibility         string            `json:"visibility"`
	Sensitive          bool              `json:"sensitive"`
	SpoilerText        string            `json:"spoiler_text"`
	MediaAttachments   []MediaAttachment `json:"media_attachments"`
	Application        *StatusApp        `json:"application"`
	Mentions           []Mention         `json:"mentions"`
	Tags               []Tag             `json:"tags"`
	Emojis             []Emoji           `json:"emojis"`
	ReblogsCount       int64             `json:"reblogs_count"`
	FavouritesCount    int64             `json:"favourites_count"`
	RepliesCount       int64             `json:"replies_count"`
	InReplyToID        *string           `json:"in_reply_to_id"`
	InReplyToAccountID *string           `json:"in_reply_to_account_id"`
	Reblog             *Status           `json:"reblog"`
	Poll               any               `json:"poll"`
	Card               *PreviewCard      `json:"card"`
	Language           *string           `json:"language"`
	Text               *string           `json:"text"`
	Filtered           []any             `json:"filtered"`
}

// StatusApp is the application a status was posted with.
type StatusApp struct {
	Name    string  `json:"name"`
	Website *string `json:"website"`
}

// MediaAttachment is Mastodon's MediaAttachment entity.
type MediaAttachment struct {
	ID          string  `json:"id"`
	Type        string  `json:"type"`
	URL         string  `json:"url"`
	PreviewURL  string  `json:"preview_url"`
	RemoteURL   *string `json:"remote_url"`
	Meta        any     `json:"meta"`
	Description *string `json:"description"`
	Blurhash    *string `json:"blurhash"`
}

// Mention is a Status's mention of an account.
type Mention struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	URL      string `json:"url"`
	Acct     string `json:"acct"`
}

// Tag is a Status's hashtag.
type Tag struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// PreviewCard is Mastodon's PreviewCard entity.
type PreviewCard struct {
	URL          string  `json:"url"`
	Title        string  `json:"title"`
	Description  string  `json:"description"`
	Type         string  `json:"type"`
	AuthorName   string  `json:"author_name"`
	AuthorURL    string  `json:"author_url"`
	ProviderName string  `json:"provider_name"`
	ProviderURL  string  `json:"provider_url"`
	HTML         string  `json:"html"`
	Width        int     `json:"width"`
	Height       int     `json:"height"`
	Image        *string `json:"image"`
	EmbedURL     string  `json:"embed_url"`
	Blurhash     *string `json:"blurhash"`
}
