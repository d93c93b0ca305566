package federation

import (
	"net/http"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
)

// SigningKey is httpsig.Key, kept for the load generator in cmd/pollen-load.
type SigningKey = httpsig.Key

// SignRequest is httpsig.Sign, kept for the load generator in
// cmd/pollen-load; it returns the errors httpsig.Sign does.
func SignRequest(r *http.Request, key SigningKey, body []byte, now time.Time) error {
	return httpsig.Sign(r, key, body, now)
}
