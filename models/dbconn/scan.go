package dbconn

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"gorm.io/gorm"
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

// ScanJSON reads a list column's JSON text into dst, a pointer to a
// slice; NULL and "" leave it as it is. "[]", which most hold, is read
// without decoding, as an empty (not nil) slice, as json.Unmarshal does.
func ScanJSON(src any, dst any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("models: cannot scan %T as JSON", src)
	}
	switch string(b) {
	case "":
		return nil
	case "[]":
		if p := reflect.ValueOf(dst); p.Kind() == reflect.Pointer && p.Elem().Kind() == reflect.Slice {
			p.Elem().Set(reflect.MakeSlice(p.Elem().Type(), 0, 0))
			return nil
		}
	}
	return json.Unmarshal(b, dst)
}

// ScanRows runs query with args on db and calls scan on each row,
// without gorm's reflection; what names the read in errors.
func ScanRows(db *gorm.DB, what, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return Translate(err, "%s", what)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return Translate(err, "%s", what)
		}
	}
	return Translate(rows.Err(), "%s", what)
}
