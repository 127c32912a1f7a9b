package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"gongkai/sources/harvest"
)

// metrics exports the harvest in Prometheus format. It is a
// harvest.Observer: the same events feed logs, progress and metrics.
type metrics struct {
	reg *prometheus.Registry

	fetches      *prometheus.CounterVec
	items        *prometheus.CounterVec
	errors       *prometheus.CounterVec
	sweeps       *prometheus.CounterVec
	duration     *prometheus.GaugeVec
	complete     *prometheus.GaugeVec
	lastSuccess  *prometheus.GaugeVec
	lastFinished *prometheus.GaugeVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gongkai_harvest_pages_fetched_total",
			Help: "HTTP exchanges by county, kind (list, detail, attachment, credit-*) and status (\"error\" for transport failures).",
		}, []string{"county", "kind", "status"}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gongkai_harvest_items_total",
			Help: "Publications found new, changed or withdrawn, by county.",
		}, []string{"county", "change"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gongkai_harvest_errors_total",
			Help: "URLs or credit lookups that could not be observed, by county.",
		}, []string{"county"}),
		sweeps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gongkai_harvest_sweeps_total",
			Help: "Sweeps finished, by county, source and result (complete, incomplete, interrupted).",
		}, []string{"county", "source", "result"}),
		duration: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "gongkai_harvest_sweep_duration_seconds",
			Help: "Duration of the last sweep of each source.",
		}, []string{"county", "source"}),
		complete: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "gongkai_harvest_sweep_complete",
			Help: "1 if the last sweep of the source observed every column completely.",
		}, []string{"county", "source"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "gongkai_harvest_last_success_timestamp_seconds",
			Help: "Unix time at which the last complete sweep of the source finished.",
		}, []string{"county", "source"}),
		lastFinished: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "gongkai_harvest_last_sweep_timestamp_seconds",
			Help: "Unix time at which the last sweep of the source finished, complete or not.",
		}, []string{"county", "source"}),
	}
	m.reg.MustRegister(m.fetches, m.items, m.errors, m.sweeps, m.duration, m.complete, m.lastSuccess, m.lastFinished)
	return m
}

func countyLabel(e harvest.Event) string {
	if e.County == "" {
		return e.Source // the credit system
	}
	return e.County
}

// Event implements harvest.Observer.
func (m *metrics) Event(e harvest.Event) {
	county := countyLabel(e)
	switch e.Kind {
	case harvest.Fetched:
		status := strconv.Itoa(e.Status)
		if e.Err != nil {
			status = "error"
		}
		m.fetches.WithLabelValues(county, e.FetchKind, status).Inc()
	case harvest.Committed:
		if e.Result.New > 0 {
			m.items.WithLabelValues(county, "new").Add(float64(e.Result.New))
		}
		if e.Result.Changed > 0 {
			m.items.WithLabelValues(county, "changed").Add(float64(e.Result.Changed))
		}
		if e.Result.Withdrawn > 0 {
			m.items.WithLabelValues(county, "withdrawn").Add(float64(e.Result.Withdrawn))
		}
	case harvest.Failed:
		m.errors.WithLabelValues(county).Inc()
	case harvest.SweepDone:
		s := e.Summary
		result := "complete"
		switch {
		case s.Interrupted:
			result = "interrupted"
		case !s.Complete:
			result = "incomplete"
		}
		m.sweeps.WithLabelValues(county, e.Source, result).Inc()
		m.duration.WithLabelValues(county, e.Source).Set(s.Finished.Sub(s.Started).Seconds())
		m.lastFinished.WithLabelValues(county, e.Source).Set(float64(s.Finished.Unix()))
		if s.Complete && !s.Interrupted {
			m.complete.WithLabelValues(county, e.Source).Set(1)
			m.lastSuccess.WithLabelValues(county, e.Source).Set(float64(s.Finished.Unix()))
		} else {
			m.complete.WithLabelValues(county, e.Source).Set(0)
		}
	}
}

// listenMetrics serves reg on /metrics at addr, with any further handlers
// (serve's /healthz), until the returned stop is called; both serve and
// worker offer their metrics this way.
func listenMetrics(addr string, reg *prometheus.Registry, more map[string]http.Handler) (net.Addr, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("无法监听监控地址 %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	for path, h := range more {
		mux.Handle(path, h)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}
	return ln.Addr(), stop, nil
}
