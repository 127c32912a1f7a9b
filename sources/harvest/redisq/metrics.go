package redisq

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are one worker's Prometheus metrics.
type Metrics struct {
	Registry    *prometheus.Registry
	depth       prometheus.Gauge
	pending     prometheus.Gauge
	leased      prometheus.Gauge
	reclaimed   prometheus.Counter
	retried     prometheus.Counter
	redisErrors prometheus.Counter
	units       *prometheus.CounterVec
	hostWait    *prometheus.HistogramVec
}

// NewMetrics registers the worker's metrics on a registry of their own.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		depth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gongkai_worker_queue_depth",
			Help: "Units queued and not yet delivered to any worker (the group's lag).",
		}),
		pending: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gongkai_worker_queue_pending",
			Help: "Units delivered to some worker and not yet acknowledged (all workers).",
		}),
		leased: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "gongkai_worker_units_leased",
			Help: "Units this worker is executing now.",
		}),
		reclaimed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gongkai_worker_units_reclaimed_total",
			Help: "Units this worker took over from a consumer that stopped renewing them (XAUTOCLAIM).",
		}),
		retried: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gongkai_worker_units_retried_total",
			Help: "Unit executions repeated because the store failed.",
		}),
		redisErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gongkai_worker_redis_errors_total",
			Help: "Redis errors waited out by the worker's queue loop.",
		}),
		units: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gongkai_worker_units_total",
			Help: "Units executed and acknowledged, by outcome (done, failed).",
		}, []string{"outcome"}),
		hostWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gongkai_worker_host_wait_seconds",
			Help:    "How long a request waited for its host's shared politeness (slot, delay, Retry-After).",
			Buckets: []float64{0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30},
		}, []string{"host"}),
	}
	m.Registry.MustRegister(m.depth, m.pending, m.leased, m.reclaimed, m.retried, m.redisErrors, m.units, m.hostWait)
	return m
}

// HostWait records a request's wait for its host (redisgate.Gate.OnWait).
func (m *Metrics) HostWait(host string, d time.Duration) {
	m.hostWait.WithLabelValues(host).Observe(d.Seconds())
}

// watchDepth samples the queue every two seconds.
func (m *Metrics) watchDepth(q *Queue, stop <-chan struct{}) {
	tk := time.NewTicker(2 * time.Second)
	defer tk.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		if lag, pending, err := q.Depth(ctx); err == nil {
			m.depth.Set(float64(lag))
			m.pending.Set(float64(pending))
		}
		cancel()
		select {
		case <-stop:
			return
		case <-tk.C:
		}
	}
}
