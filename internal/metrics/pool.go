package metrics

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// poolCollector reports the database pool's statistics at each scrape.
type poolCollector struct{ pool *pgxpool.Pool }

var (
	poolConns = prometheus.NewDesc("minasidor_db_pool_connections",
		"Connections of the database pool, by state (acquired, idle, constructing) and the maximum (max).", []string{"state"}, nil)
	poolAcquires = prometheus.NewDesc("minasidor_db_pool_acquires_total",
		"Connections acquired from the pool.", nil, nil)
	poolEmptyAcquires = prometheus.NewDesc("minasidor_db_pool_empty_acquires_total",
		"Acquires that had to wait for a connection (none idle).", nil, nil)
	poolCanceledAcquires = prometheus.NewDesc("minasidor_db_pool_canceled_acquires_total",
		"Acquires cancelled before a connection was had.", nil, nil)
	poolAcquireSeconds = prometheus.NewDesc("minasidor_db_pool_acquire_seconds_total",
		"Time spent acquiring connections.", nil, nil)
)

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolConns, poolAcquires, poolEmptyAcquires, poolCanceledAcquires, poolAcquireSeconds} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	for state, n := range map[string]int32{"acquired": s.AcquiredConns(), "idle": s.IdleConns(), "constructing": s.ConstructingConns(), "max": s.MaxConns()} {
		ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(n), state)
	}
	ch <- prometheus.MustNewConstMetric(poolAcquires, prometheus.CounterValue, float64(s.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolEmptyAcquires, prometheus.CounterValue, float64(s.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolCanceledAcquires, prometheus.CounterValue, float64(s.CanceledAcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolAcquireSeconds, prometheus.CounterValue, s.AcquireDuration().Seconds())
}
