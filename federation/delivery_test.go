package federation_test

import (
	"net/url"
	"time"

	"github.com/pollen-coop/pollen/config"
)

// deliveryConfig is a node configuration with retries in milliseconds
// (the inbox benchmark's; package delivery's tests have the same).
func deliveryConfig() config.Config {
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse("http://a.example")
	cfg.Handle = "org"
	cfg.AllowPrivateNetworks = true
	cfg.DeliveryRetryBase = 50 * time.Millisecond
	cfg.DeliveryWorkers = 8
	cfg.DeliveryPerHost = 4
	cfg.HTTPTimeout = 5 * time.Second
	cfg.ShutdownGracePeriod = 10 * time.Second
	return cfg
}
