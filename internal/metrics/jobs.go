package metrics

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// jobCollector reports the job queue (River's river_job table) at each scrape: how many jobs
// wait, run, wait for a retry after failing, or failed for good (discarded, kept by River for a
// week). These are the whole installation's figures, the same on every server: sum them over
// none, take max() across instances.
type jobCollector struct {
	pool  *pgxpool.Pool
	jobs  *prometheus.Desc
	error *prometheus.Desc
}

func newJobCollector(pool *pgxpool.Pool) jobCollector {
	return jobCollector{
		pool: pool,
		jobs: prometheus.NewDesc("minasidor_jobs",
			"Jobs of the job queue (the whole installation's), by queue, kind and state: available, scheduled, running, retryable (failed, to be retried), discarded (failed for good).",
			[]string{"queue", "kind", "state"}, nil),
		error: prometheus.NewDesc("minasidor_jobs_scrape_error",
			"1 when the job queue could not be read at this scrape.", nil, nil),
	}
}

func (c jobCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.jobs; ch <- c.error }

func (c jobCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	failed := 0.0
	rows, err := c.pool.Query(ctx, `
		SELECT queue, kind, state::text, count(*) FROM river_job
		WHERE state IN ('available', 'scheduled', 'running', 'retryable', 'discarded')
		GROUP BY queue, kind, state`)
	if err == nil {
		for rows.Next() {
			var queue, kind, state string
			var n int64
			if err = rows.Scan(&queue, &kind, &state, &n); err != nil {
				break
			}
			ch <- prometheus.MustNewConstMetric(c.jobs, prometheus.GaugeValue, float64(n), queue, kind, state)
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	if err != nil {
		failed = 1
	}
	ch <- prometheus.MustNewConstMetric(c.error, prometheus.GaugeValue, failed)
}
