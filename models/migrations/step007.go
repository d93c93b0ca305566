package migrations

import (
	"encoding/json"
	"hash/fnv"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// note007, announce007, statusTag007, notification007, marker007 and
// idempotencyKey007 are the frozen shapes step007 creates.
type note007 struct {
	ID          int64     `gorm:"primaryKey"`
	IRI         string    `gorm:"uniqueIndex:idx_notes_iri;not null"`
	StatusID    int64     `gorm:"uniqueIndex:idx_notes_status_id;not null"`
	ActorID     int64     `gorm:"not null;index:idx_notes_actor_id"`
	Local       bool      `gorm:"not null;default:false"`
	URL         string    `gorm:"not null;default:''"`
	Content     string    `gorm:"not null;default:''"`
	Source      string    `gorm:"not null;default:''"`
	Summary     string    `gorm:"not null;default:''"`
	Sensitive   bool      `gorm:"not null;default:false"`
	Visibility  string    `gorm:"not null;default:'public'"`
	InReplyTo   string    `gorm:"not null;default:'';index:idx_notes_in_reply_to"`
	CaseStudyID *int64    `gorm:"index:idx_notes_case_study_id"`
	Hashtags    string    `gorm:"not null;default:'[]'"`
	Mentions    string    `gorm:"not null;default:'[]'"`
	Published   time.Time `gorm:"not null"`
	Updated     time.Time
	DeletedAt   *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (note007) TableName() string { return "notes" }

type announce007 struct {
	ID          int64     `gorm:"primaryKey"`
	IRI         string    `gorm:"uniqueIndex:idx_announces_iri;not null"`
	StatusID    int64     `gorm:"uniqueIndex:idx_announces_status_id;not null"`
	ActorID     int64     `gorm:"not null;uniqueIndex:idx_announces_pair"`
	CaseStudyID int64     `gorm:"not null;uniqueIndex:idx_announces_pair;index:idx_announces_case_study_id"`
	Published   time.Time `gorm:"not null"`
	CreatedAt   time.Time
}

func (announce007) TableName() string { return "announces" }

type statusTag007 struct {
	Name     string `gorm:"primaryKey"`
	StatusID int64  `gorm:"primaryKey;autoIncrement:false;index:idx_status_tags_status_id"`
}

func (statusTag007) TableName() string { return "status_tags" }

type notification007 struct {
	ID        int64     `gorm:"primaryKey"`
	Type      string    `gorm:"not null;uniqueIndex:idx_notifications_key"`
	ActorID   int64     `gorm:"not null;uniqueIndex:idx_notifications_key"`
	StatusID  int64     `gorm:"not null;default:0;uniqueIndex:idx_notifications_key"`
	CreatedAt time.Time `gorm:"not null"`
}

func (notification007) TableName() string { return "notifications" }

type marker007 struct {
	UserID     int64  `gorm:"primaryKey;autoIncrement:false"`
	Timeline   string `gorm:"primaryKey"`
	LastReadID string `gorm:"not null"`
	Version    int64  `gorm:"not null"`
	UpdatedAt  time.Time
}

func (marker007) TableName() string { return "markers" }

type idempotencyKey007 struct {
	UserID    int64     `gorm:"primaryKey;autoIncrement:false"`
	Key       string    `gorm:"primaryKey"`
	StatusID  int64     `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null;index:idx_idempotency_keys_created_at"`
}

func (idempotencyKey007) TableName() string { return "idempotency_keys" }

// caseStudy007 is the part of a case study step007 reads and writes.
type caseStudy007 struct {
	ID          int64
	IRI         string
	ServiceArea string
	Tags        string
	Published   time.Time
	StatusID    int64 `gorm:"not null;default:0;index:idx_case_studies_status_id"`
}

func (caseStudy007) TableName() string { return "case_studies" }

// reply007 is a row of the replies table step007 moves into notes.
type reply007 struct {
	ID          int64
	IRI         string
	CaseStudyID int64
	ActorID     int64
	URL         string
	Content     string
	Summary     string
	Sensitive   bool
	Published   time.Time
	Updated     time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (reply007) TableName() string { return "replies" }

// step007 gives every status (case study, note, announce) a status id
// ordered by publication time, and adds notes (the replies move there),
// announces, normalised hashtags, notifications, read markers and the
// idempotency keys of posted statuses.
func step007(tx *gorm.DB) error {
	m := tx.Migrator()
	if err := m.CreateTable(&note007{}, &announce007{}, &statusTag007{}, &notification007{}, &marker007{}, &idempotencyKey007{}); err != nil {
		return err
	}
	if err := m.AddColumn(&caseStudy007{}, "StatusID"); err != nil {
		return err
	}
	if err := m.CreateIndex(&caseStudy007{}, "idx_case_studies_status_id"); err != nil {
		return err
	}
	var cs []caseStudy007
	if err := tx.Find(&cs).Error; err != nil {
		return err
	}
	for _, c := range cs {
		id := statusID007(c.Published, c.IRI)
		if err := tx.Model(&c).Update("status_id", id).Error; err != nil {
			return err
		}
		for _, name := range tags007(c) {
			if err := tx.Create(&statusTag007{Name: name, StatusID: id}).Error; err != nil {
				return err
			}
		}
	}
	var rs []reply007
	if err := tx.Find(&rs).Error; err != nil {
		return err
	}
	for _, r := range rs {
		n := note007{
			IRI: r.IRI, StatusID: statusID007(r.Published, r.IRI), ActorID: r.ActorID, URL: r.URL,
			Content: r.Content, Summary: r.Summary, Sensitive: r.Sensitive, Visibility: "public",
			CaseStudyID: &r.CaseStudyID, Hashtags: "[]", Mentions: "[]",
			Published: r.Published, Updated: r.Updated, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		}
		if err := tx.Create(&n).Error; err != nil {
			return err
		}
	}
	// The case study a reply answers is found again from its IRI.
	err := tx.Exec(`UPDATE notes SET in_reply_to = (SELECT iri FROM case_studies WHERE case_studies.id = notes.case_study_id) WHERE case_study_id IS NOT NULL`).Error
	if err != nil {
		return err
	}
	if tx.Dialector.Name() == "sqlite" {
		// The SQLite migrator's DropTable asks the pool for a connection of
		// its own to turn foreign keys off, and the pool's one writer is
		// this transaction's: the plain statement drops the table in it.
		return tx.Exec(`DROP TABLE IF EXISTS replies`).Error
	}
	return m.DropTable(&reply007{})
}

// statusID007 is the status id of what was published at t with the IRI
// iri: Unix milliseconds shifted left 16 bits, and 16 bits of the IRI's
// FNV-1a hash.
func statusID007(t time.Time, iri string) int64 {
	h := fnv.New32a()
	h.Write([]byte(iri))
	return t.UnixMilli()<<16 | int64(h.Sum32()&0xffff)
}

// tags007 are the hashtag keys of a case study: its service area's and
// its tags', each lower-cased letters, digits and underscores, once each.
func tags007(c caseStudy007) []string {
	var tags []string
	_ = json.Unmarshal([]byte(c.Tags), &tags)
	seen := map[string]bool{}
	var out []string
	for _, t := range append([]string{c.ServiceArea}, tags...) {
		var b strings.Builder
		for _, r := range t {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
				b.WriteRune(unicode.ToLower(r))
			}
		}
		if k := b.String(); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
