package dbconn

import (
	"fmt"
	"time"
)

// Text scans a text column into a string, "" for NULL, as gorm does.
type Text struct{ S *string }

// TextOf is a Text scanning into p.
func TextOf(p *string) Text { return Text{S: p} }

// Scan implements sql.Scanner.
func (t Text) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t.S = ""
	case string:
		*t.S = v
	case []byte:
		*t.S = string(v)
	default:
		return fmt.Errorf("models: cannot scan %T as text", src)
	}
	return nil
}

// Time scans a time column into a time.Time, the zero time for NULL;
// from text in one of timeLayouts.
type Time struct{ T *time.Time }

// TimeOf is a Time scanning into p.
func TimeOf(p *time.Time) Time { return Time{T: p} }

// timeLayouts are the layouts Time reads text in: the one the SQLite
// driver writes first, then others the driver reads, in UTC when they
// carry no offset, as the driver does.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999 -0700 MST",
}

// Scan implements sql.Scanner.
func (m Time) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*m.T = time.Time{}
		return nil
	case time.Time:
		*m.T = v
		return nil
	case []byte:
		src = string(v)
	}
	if v, ok := src.(string); ok {
		for _, layout := range timeLayouts {
			if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
				*m.T = t
				return nil
			}
		}
		return fmt.Errorf("models: cannot read %q as a time", v)
	}
	return fmt.Errorf("models: cannot scan %T as a time", src)
}

// OptionalTime scans a time column into a *time.Time, nil for NULL.
type OptionalTime struct{ T **time.Time }

// OptionalTimeOf is an OptionalTime scanning into p.
func OptionalTimeOf(p **time.Time) OptionalTime { return OptionalTime{T: p} }

// Scan implements sql.Scanner.
func (m OptionalTime) Scan(src any) error {
	if src == nil {
		*m.T = nil
		return nil
	}
	var t time.Time
	if err := TimeOf(&t).Scan(src); err != nil {
		return err
	}
	*m.T = &t
	return nil
}

// IsEmptyArray reports whether src is the JSON text "[]", which most
// list columns hold: they read it without decoding.
func IsEmptyArray(src any) bool {
	switch v := src.(type) {
	case string:
		return v == "[]"
	case []byte:
		return string(v) == "[]"
	}
	return false
}
