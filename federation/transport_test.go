package federation

import (
	"net/url"
	"time"

	"github.com/pollen-coop/pollen/config"
)

// testConfig is the configuration of pollen.example, allowing private
// network addresses or not, for the tests that fetch.
func testConfig(allowPrivate bool) config.Config {
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("https://pollen.example")
	cfg.AllowPrivateNetworks = allowPrivate
	cfg.HTTPTimeout = 5 * time.Second
	return cfg
}
