package federation

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
)

// BenchmarkSignRSA2048 signs a POST of a small activity with an RSA-2048
// key, on one core: the signing limit that delivery fan-out is measured
// against (docs/benchmarks.md).
func BenchmarkSignRSA2048(b *testing.B) {
	key := httpsig.Key{KeyID: "https://peer.example/actors/org#main-key", Key: readTestKey(b, "test-key.pem")}
	if key.Key.N.BitLen() != 2048 {
		b.Fatalf("the test key has %d bits", key.Key.N.BitLen())
	}
	body := []byte(testBody)
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "https://pollen.example/inbox", strings.NewReader(testBody))
		if err := httpsig.Sign(r, key, body, testNow); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signs/s")
}

// BenchmarkVerify checks a signed POST with the key cached: header checks,
// Digest and the RSA-2048 signature.
func BenchmarkVerify(b *testing.B) {
	body := []byte(testBody)
	r := signedPost(b, "test-key.pem", testNow, body)
	peer := testPeer(b)
	v := newTestVerifier(&fakeKeys{cached: map[string]models.Actor{peer.KeyID: peer}}, "pollen.example", true, func() time.Time { return testNow })
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.verify(ctx, r, body); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}
