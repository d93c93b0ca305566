package federation

import (
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// TestUpdateID: each edit's Update has its own id, made from the edit's
// time to the millisecond (service's TestEditTime: edits are at least a
// millisecond apart).
func TestUpdateID(t *testing.T) {
	pub := time.Date(2026, 11, 27, 10, 28, 48, 0, time.UTC)
	ms := time.Millisecond
	tests := []struct {
		updated time.Time
		wantID  string
	}{
		{pub.Add(16*time.Second + 512*ms), "1795775344512"},
		{pub.Add(ms), "1795775328001"},
		{pub.Add(30 * ms), "1795775328030"},
		{pub.Add(21 * ms), "1795775328021"},
		{pub.Add(time.Hour + ms), "1795778928001"},
		{pub.Add(2 * time.Second), "1795775330000"},
	}
	s := &Documents{core: &core{}}
	for _, tc := range tests {
		c := models.CaseStudy{IRI: "https://pollen.example/case-studies/x", Published: pub, Updated: tc.updated}
		if id := s.updateActivity(c, models.Actor{}).ID; id != c.IRI+"#update-"+tc.wantID {
			t.Errorf("Update id = %s, want #update-%s", id, tc.wantID)
		}
	}
}
