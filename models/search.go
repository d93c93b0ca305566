package models

import (
	"context"
	"strings"

	"github.com/pollen-coop/pollen/models/policy"
)

// MaxSearchRows bounds the rows one search reads: a search by a LIKE
// pattern scans, and a client may ask for any text.
const MaxSearchRows = 200

// SearchActors returns the actors, local and remote, whose handle or name
// contains text, without case; text of the form user@host matches the
// handles starting with user on the hosts starting with host (a leading
// @ is ignored); blocked actors, and those of blocked domains, are left
// out. Local actors come first, then by handle and host; at
// most limit (and MaxSearchRows) from offset. It returns the store's
// error.
func (s *ActorStore) SearchActors(ctx context.Context, text string, limit, offset int) ([]Actor, error) {
	text = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(text), "@"))
	db := s.db.WithContext(ctx).Where("handle <> '' AND id NOT IN (" + policy.HiddenActorIDs + ")")
	if user, host, ok := strings.Cut(text, "@"); ok {
		db = db.Where(s.lower("handle")+` LIKE ? ESCAPE '\' AND host LIKE ? ESCAPE '\'`,
			likeEscape(user)+"%", likeEscape(host)+"%")
	} else {
		pat := "%" + likeEscape(text) + "%"
		db = db.Where(`(`+s.lower("handle")+` LIKE ? ESCAPE '\' OR `+s.lower("name")+` LIKE ? ESCAPE '\')`, pat, pat)
	}
	var as []Actor
	err := db.Order("local DESC, handle, host, id").Limit(min(max(limit, 1), MaxSearchRows)).Offset(offset).Find(&as).Error
	return as, translate(err, "search actors %q", text)
}

// SearchTags returns the hashtags of the statuses the node holds (case
// studies' tags and service areas, notes' hashtags) whose key
// (HashtagKey) starts with prefix's: each once, by its key, in
// alphabetical order, at most limit (and MaxSearchRows) from offset. A
// prefix without a letter or digit finds none. It returns the store's
// error.
func (s *CaseStudyStore) SearchTags(ctx context.Context, prefix string, limit, offset int) ([]string, error) {
	out := []string{}
	key := HashtagKey(prefix)
	if key == "" {
		return out, nil
	}
	err := s.db.WithContext(ctx).Model(&StatusTag{}).Distinct("name").
		Where(`name LIKE ? ESCAPE '\'`, likeEscape(key)+"%").Order("name").
		Limit(min(max(limit, 1), MaxSearchRows)).Offset(offset).Pluck("name", &out).Error
	return out, translate(err, "search tags %q", prefix)
}
