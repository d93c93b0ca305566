package models

import (
	"context"
	"strings"
)

// MaxSearchRows bounds the rows one search reads: a search by a LIKE
// pattern scans, and a client may ask for any text.
const MaxSearchRows = 200

// SearchActors returns the actors, local and remote, whose handle or name
// contains text, without case; text of the form user@host matches the
// handles starting with user on the hosts starting with host (a leading
// @ is ignored). Local actors come first, then by handle and host; at
// most limit (and MaxSearchRows) from offset. It returns the store's
// error.
func (s *ActorStore) SearchActors(ctx context.Context, text string, limit, offset int) ([]Actor, error) {
	text = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(text), "@"))
	db := s.db.WithContext(ctx).Where("handle <> ''")
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

// SearchTags returns the hashtags of live case studies (their tags, not
// their service areas: see ServiceAreas) that start with prefix (a
// leading # is ignored), without case: each once, spelt as in the most
// recent case study having it. Only the MaxSearchRows most recent case
// studies with a match are read. It returns the store's error.
func (s *CaseStudyStore) SearchTags(ctx context.Context, prefix string) ([]string, error) {
	prefix = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(prefix), "#"))
	var lists []StringList
	err := s.db.WithContext(ctx).Model(&CaseStudy{}).Where("deleted_at IS NULL").
		Where(s.lower("tags")+` LIKE ? ESCAPE '\'`, `%"`+likeEscape(prefix)+`%`).
		Order("published DESC, id DESC").Limit(MaxSearchRows).Pluck("tags", &lists).Error
	if err != nil {
		return nil, translate(err, "search tags %q", prefix)
	}
	seen := map[string]bool{}
	out := []string{}
	for _, l := range lists {
		for _, tag := range l {
			key := strings.ToLower(tag)
			if strings.HasPrefix(key, prefix) && !seen[key] {
				seen[key] = true
				out = append(out, tag)
			}
		}
	}
	return out, nil
}

// ServiceAreas returns the service areas of live case studies, each once.
// It returns the store's error.
func (s *CaseStudyStore) ServiceAreas(ctx context.Context) ([]string, error) {
	var all []string
	err := s.db.WithContext(ctx).Model(&CaseStudy{}).Distinct("service_area").
		Where("deleted_at IS NULL AND service_area <> ''").Order("service_area").Pluck("service_area", &all).Error
	return all, translate(err, "list service areas")
}
