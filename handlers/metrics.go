package handlers

import (
	"context"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics holds the node's Prometheus registry and the HTTP measures the
// middleware records.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(health Health) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pollen_http_requests_total", Help: "HTTP requests answered, by route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "pollen_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route"}),
	}
	m.registry.MustRegister(m.requests, m.duration, &storeCollector{health: health},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe records a request under its route pattern, never its raw path,
// so that the number of series stays bounded.
func (m *metrics) observe(c echo.Context, start time.Time) {
	route := c.Path()
	if route == "" {
		route = "unmatched"
	}
	method := requestMethod(c)
	m.requests.WithLabelValues(method, route, strconv.Itoa(c.Response().Status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
}

// metricsHandler answers GET /metrics in the Prometheus text format.
func (h *Handler) metricsHandler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(h.metrics.registry, promhttp.HandlerOpts{}))
}

// storeCollector reads the delivery queue and the received activities from
// the database at each scrape.
type storeCollector struct{ health Health }

var (
	deliveriesDesc = prometheus.NewDesc("pollen_deliveries", "Delivery jobs in the queue, by state.", []string{"state"}, nil)
	activitiesDesc = prometheus.NewDesc("pollen_received_activities", "Received activities kept, by processing state.", []string{"state"}, nil)
)

func (sc *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- deliveriesDesc
	ch <- activitiesDesc
}

func (sc *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, _ := sc.health.QueueCounts(ctx)
	for state, n := range counts.Deliveries {
		ch <- prometheus.MustNewConstMetric(deliveriesDesc, prometheus.GaugeValue, float64(n), state)
	}
	for state, n := range counts.Activities {
		ch <- prometheus.MustNewConstMetric(activitiesDesc, prometheus.GaugeValue, float64(n), state)
	}
}
