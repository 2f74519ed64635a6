// Package metrics keeps the portal's Prometheus metrics, served by Handler on an address of their
// own (METRICS_ADDR), never on the portal's. Labels hold only bounded, non-personal values: route
// patterns (never paths), status codes, kinds and reasons; never an identity, an address or a
// reference.
//
// A *Metrics is made once by the app and passed to what counts; every method of a nil *Metrics
// does nothing, so that code built without metrics (tests of other things) needs no checks.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the registry and the counters the portal updates.
type Metrics struct {
	reg            *prometheus.Registry
	requests       *prometheus.CounterVec
	duration       *prometheus.HistogramVec
	loginsStarted  *prometheus.CounterVec
	loginsDone     *prometheus.CounterVec
	loginsRefused  *prometheus.CounterVec
	uploadsRefused *prometheus.CounterVec
	scans          *prometheus.CounterVec
	findings       *prometheus.CounterVec
	notices        *prometheus.CounterVec
}

// New registers the portal's metrics, the Go runtime's and the process's, the pool's, and the job
// queue's (read from pool at each scrape).
func New(pool *pgxpool.Pool) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "minasidor_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status code.",
	}, []string{"route", "method", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "minasidor_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern and method.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "method"})
	m.loginsStarted = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "minasidor_logins_started_total",
		Help: "Logins sent to an identity provider, by who logs in (citizen or staff).",
	}, []string{"who"})
	m.loginsDone = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "minasidor_logins_succeeded_total",
		Help: "Logins that started a session, by who logs in.",
	}, []string{"who"})
	m.loginsRefused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "minasidor_logins_refused_total",
		Help: "Logins refused or failed, by who logs in and why (cancelled, expired, loa, failed, not_registered, too_many).",
	}, []string{"who", "reason"})
	m.uploadsRefused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "minasidor_uploads_refused_total",
		Help: "Uploaded files refused, by reason (type, size, count, empty, infected, unscanned, ...).",
	}, []string{"reason"})
	m.scans = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "minasidor_virus_scans_total",
		Help: "Virus scans, by kind of upload and outcome (clean, infected, unavailable, pending).",
	}, []string{"source", "outcome"})
	m.findings = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "minasidor_virus_findings_total",
		Help: "Files the virus scanner found infected, by kind of upload.",
	}, []string{"source"})
	m.notices = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "minasidor_notices_total",
		Help: "Notice deliveries by outcome (sent, skipped, failed: to be retried, discarded: failed for good) and channel.",
	}, []string{"outcome", "channel"})
	m.reg.MustRegister(m.requests, m.duration, m.loginsStarted, m.loginsDone, m.loginsRefused,
		m.uploadsRefused, m.scans, m.findings, m.notices,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if pool != nil {
		m.reg.MustRegister(poolCollector{pool}, newJobCollector(pool))
	}
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, Timeout: 10 * time.Second})
}

// Request counts an answered request. route is chi's route pattern ("" when none matched).
func (m *Metrics) Request(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	method = boundedMethod(method)
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route, method).Observe(took.Seconds())
}

// boundedMethod keeps the method label to the methods HTTP defines.
func boundedMethod(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}

// LoginStarted counts a login sent to an identity provider; who is "citizen" or "staff".
func (m *Metrics) LoginStarted(who string) {
	if m != nil {
		m.loginsStarted.WithLabelValues(who).Inc()
	}
}

// LoginSucceeded counts a login that started a session.
func (m *Metrics) LoginSucceeded(who string) {
	if m != nil {
		m.loginsDone.WithLabelValues(who).Inc()
	}
}

// LoginRefused counts a refused or failed login, by why.
func (m *Metrics) LoginRefused(who, reason string) {
	if m != nil {
		m.loginsRefused.WithLabelValues(who, reason).Inc()
	}
}

// UploadRefused counts a refused upload, by why.
func (m *Metrics) UploadRefused(reason string) {
	if m != nil {
		m.uploadsRefused.WithLabelValues(reason).Inc()
	}
}

// Scanned counts a virus scan (a virusscan.Observer), and an infected file as a finding.
func (m *Metrics) Scanned(source, outcome string) {
	if m == nil {
		return
	}
	m.scans.WithLabelValues(source, outcome).Inc()
	if outcome == "infected" {
		m.findings.WithLabelValues(source).Inc()
	}
}

// Notice counts a notice delivery, by outcome and channel.
func (m *Metrics) Notice(outcome, channel string) {
	if m != nil {
		m.notices.WithLabelValues(outcome, channel).Inc()
	}
}
