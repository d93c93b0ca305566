package migrations

import (
	"time"

	"gorm.io/gorm"
)

// mediaFile016 is the frozen shape of an uploaded file step016 creates:
// its content's SHA-256 (hex) is its id and its file's name.
type mediaFile016 struct {
	ID        string    `gorm:"primaryKey"`
	MediaType string    `gorm:"not null"`
	Ext       string    `gorm:"not null"`
	Size      int64     `gorm:"not null"`
	Width     int       `gorm:"not null;default:0"`
	Height    int       `gorm:"not null;default:0"`
	Filename  string    `gorm:"not null;default:''"`
	CreatedAt time.Time `gorm:"not null"`
}

func (mediaFile016) TableName() string { return "media_files" }

// step016 adds the uploaded media files (images and PDFs) the node
// serves: the rows; the bytes are files in the media folder.
func step016(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&mediaFile016{})
}
