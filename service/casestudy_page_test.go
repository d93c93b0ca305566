package service_test

import (
	"net/url"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/service"
)

func TestCaseStudyPage(t *testing.T) {
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("https://hub.example/")
	for _, tc := range []struct {
		name string
		v    service.CaseStudyView
		want string
	}{
		{"local", service.CaseStudyView{Local: true, Slug: "keeping-libraries-open", StatusID: 7}, "https://hub.example/case-studies/keeping-libraries-open"},
		{"received", service.CaseStudyView{StatusID: 110292605337613240, URL: "https://peer.example/cs/x"}, "https://hub.example/feed/items/110292605337613240"},
	} {
		if got := service.CaseStudyPage(cfg, tc.v); got != tc.want {
			t.Errorf("%s: CaseStudyPage = %q, want %q", tc.name, got, tc.want)
		}
	}
}
