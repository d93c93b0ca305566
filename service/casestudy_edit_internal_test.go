package service

import (
	"strconv"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/models"
)

// TestEditTime: an edit is dated now to the millisecond, but always
// after the publication and the last edit as they are written
// (federation's TestUpdateID: and the Update's id is made from it).
func TestEditTime(t *testing.T) {
	pub := time.Date(2026, 11, 27, 10, 28, 48, 0, time.UTC)
	ms := time.Millisecond
	tests := []struct {
		name             string
		published, last  time.Time
		now              time.Time
		want             time.Time
		wantID, wantText string
	}{
		{"a later second", pub, pub, pub.Add(16*time.Second + 512*ms + 999), pub.Add(16*time.Second + 512*ms), "1795775344512", "2026-11-27T10:29:04.512Z"},
		{"the second of publication", pub, pub, pub.Add(300), pub.Add(ms), "1795775328001", "2026-11-27T10:28:48.001Z"},
		{"10 ms after the last edit", pub, pub.Add(20 * ms), pub.Add(30 * ms), pub.Add(30 * ms), "1795775328030", "2026-11-27T10:28:48.030Z"},
		{"within the last edit's millisecond", pub, pub.Add(20 * ms), pub.Add(20*ms + 400), pub.Add(21 * ms), "1795775328021", "2026-11-27T10:28:48.021Z"},
		{"a clock gone back", pub, pub.Add(time.Hour), pub, pub.Add(time.Hour + ms), "1795778928001", "2026-11-27T11:28:48.001Z"},
		{"on a whole second", pub, pub, pub.Add(2 * time.Second), pub.Add(2 * time.Second), "1795775330000", "2026-11-27T10:28:50.000Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := models.CaseStudy{IRI: "https://pollen.example/case-studies/x", Published: tc.published, Updated: tc.last}
			got := editTime(c, tc.now)
			if !got.Equal(tc.want) {
				t.Fatalf("editTime = %v, want %v", got, tc.want)
			}
			if text := federation.EditTime(got); text != tc.wantText {
				t.Errorf("EditTime = %s, want %s", text, tc.wantText)
			}
			read, err := time.Parse(time.RFC3339, federation.EditTime(got))
			if err != nil || !read.After(tc.published) || !read.After(tc.last) {
				t.Errorf("%s (%v) does not read later than %s and %s", federation.EditTime(got), err, federation.Time(tc.published), federation.EditTime(tc.last))
			}
			if tc.last.After(tc.published) && federation.EditTime(got) <= federation.EditTime(tc.last) {
				t.Errorf("%s does not sort after %s", federation.EditTime(got), federation.EditTime(tc.last))
			}
			if id := strconv.FormatInt(got.UnixMilli(), 10); id != tc.wantID {
				t.Errorf("edit time in milliseconds = %s, want %s", id, tc.wantID)
			}
		})
	}
}
