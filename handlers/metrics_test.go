package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

func TestMetrics(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	if r := testrig.Do(t, http.MethodGet, n.URL+"/metrics", nil, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("/metrics without a token = %d, want 401", r.Status)
	}
	testrig.GetAP(t, n.URL+"/actors/org")
	testrig.GetAP(t, n.URL+"/actors/nobody")
	r := testrig.Do(t, http.MethodGet, n.URL+"/metrics", nil, map[string]string{"Authorization": "Bearer " + n.Token})
	if r.Status != http.StatusOK {
		t.Fatalf("/metrics = %d %s", r.Status, r.Body)
	}
	body := string(r.Body)
	for _, want := range []string{
		`pollen_http_requests_total{method="GET",route="/actors/:handle",status="200"} 1`,
		`pollen_http_requests_total{method="GET",route="/actors/:handle",status="404"} 1`,
		`pollen_http_request_duration_seconds_count{method="GET",route="/actors/:handle"} 2`,
		`pollen_deliveries{state="pending"} 0`,
		`pollen_received_activities{state="pending"} 0`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "nobody") {
		t.Error("/metrics names a raw path; routes must be patterns")
	}
}
