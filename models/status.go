package models

import (
	"hash/fnv"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// A status is what a Mastodon client shows in a timeline: a case study, a
// note, or an announce of a case study. Each has a status id: its
// publication time in Unix milliseconds shifted left by 16 bits, plus 16
// bits of its IRI's hash (as Mastodon's snowflake ids). The id is numeric,
// ordered by publication time (a backfilled case study sorts at its own
// date), and kept when the status is edited.

// StatusID is the status id of what was published at t with the IRI iri.
func StatusID(t time.Time, iri string) int64 {
	h := fnv.New32a()
	h.Write([]byte(iri))
	return t.UnixMilli()<<16 | int64(h.Sum32()&0xffff)
}

// StatusTag is a hashtag of a status, by its key (HashtagKey).
type StatusTag struct {
	Name     string `gorm:"primaryKey"`
	StatusID int64  `gorm:"primaryKey;autoIncrement:false;index:idx_status_tags_status_id"`
}

// HashtagKey is s lower-cased with everything but letters, digits and
// underscores left out, as a hashtag made from it reads without its case: "Adult social
// care" and #AdultSocialCare have the key "adultsocialcare".
func HashtagKey(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimPrefix(s, "#") {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// setTags replaces the hashtags of the status id with the keys of names
// (each once; names without a letter or digit are left out).
func setTags(tx *gorm.DB, id int64, names []string) error {
	if err := tx.Where("status_id = ?", id).Delete(&StatusTag{}).Error; err != nil {
		return err
	}
	rows := appendTags(nil, id, names)
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}
