package models

import (
	"database/sql/driver"
	"encoding/json"

	"github.com/pollen-coop/pollen/models/dbconn"
)

// StringList is a list of strings kept as a JSON array in one text column.
type StringList []string

// Value stores the list as JSON text; a nil list is stored as "[]".
func (l StringList) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]string(l))
	return string(b), err
}

// Scan reads the list from JSON text.
func (l *StringList) Scan(src any) error { return dbconn.ScanJSON(src, l) }

// Attachment is a document or image linked from a case study.
type Attachment struct {
	URL       string `json:"url"`
	MediaType string `json:"media_type"`
	Name      string `json:"name,omitempty"`
}

// AttachmentList is a list of attachments kept as JSON text.
type AttachmentList []Attachment

// Value stores the list as JSON text.
func (l AttachmentList) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]Attachment(l))
	return string(b), err
}

// Scan reads the list from JSON text.
func (l *AttachmentList) Scan(src any) error { return dbconn.ScanJSON(src, l) }
