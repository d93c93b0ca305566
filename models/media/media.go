// Package media holds the rows of the uploaded media files (images and
// PDFs) the node serves. The bytes are files in the media folder, named
// by the rows' ids (service/media writes them); a row says what a file
// is.
package media

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"
	"gorm.io/gorm/clause"
)

// File is an uploaded file: ID is the SHA-256 (hex) of its bytes, so
// that the same bytes uploaded twice are one file; Ext its name's
// extension ("jpg", "png", "gif", "pdf"), MediaType its type as read from
// its bytes; Width and Height an image's size in pixels (0 for a PDF);
// Filename the sanitised name it was first uploaded under.
type File struct {
	ID        string `gorm:"primaryKey"`
	MediaType string `gorm:"not null"`
	Ext       string `gorm:"not null"`
	Size      int64  `gorm:"not null"`
	Width     int    `gorm:"not null;default:0"`
	Height    int    `gorm:"not null;default:0"`
	Filename  string `gorm:"not null;default:''"`
	CreatedAt time.Time
}

// TableName is the table of the files.
func (File) TableName() string { return "media_files" }

// Store reads and writes the media files' rows. Reach it as Store.Media.
type Store struct{ dbconn.Conn }

// Put records f unless a file of its id is recorded already, and
// returns the row recorded (the first upload's, when the same bytes came
// before).
func (s *Store) Put(ctx context.Context, f File) (File, error) {
	if f.CreatedAt.IsZero() {
		f.CreatedAt = s.Now().UTC()
	}
	db := s.DB.WithContext(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&f).Error; err != nil {
		return File{}, dbconn.Translate(err, "put media file %s", f.ID)
	}
	return s.Get(ctx, f.ID)
}

// Get returns the file of the id, or dbconn.ErrNotFound.
func (s *Store) Get(ctx context.Context, id string) (File, error) {
	var f File
	err := s.DB.WithContext(ctx).Where("id = ?", id).First(&f).Error
	return f, dbconn.Translate(err, "get media file %s", id)
}
