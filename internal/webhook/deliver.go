package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
)

// MaxAttempts is how many times a delivery is tried before it is given up (an admin can send it
// again from the delivery log). With the default RetryBase the last try is about 4 hours after
// the first.
const MaxAttempts = 10

// DeliverArgs is the River job that posts one delivery.
type DeliverArgs struct {
	DeliveryID uuid.UUID `json:"delivery_id"`
}

// Kind names the job in River's tables.
func (DeliverArgs) Kind() string { return "webhook_deliver" }

// InsertOpts gives every delivery job MaxAttempts tries.
func (DeliverArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: MaxAttempts} }

// DelivererConfig configures the delivery of events.
type DelivererConfig struct {
	// RetryBase is the wait after the first failed try; each next wait doubles, up to six hours,
	// give or take a tenth at random. Default 30 seconds.
	RetryBase time.Duration
	// Timeout bounds one try: connecting, sending and the receiver's answer. Default 10 seconds.
	Timeout time.Duration
	// AllowPrivate lets deliveries go to loopback, private and link-local addresses (development
	// and tests). Off, such an address is refused when it is dialled, whatever the host name
	// resolved to, so that a webhook cannot reach the servers' own network.
	AllowPrivate bool
}

// Deliverer posts deliveries: the work of the River jobs that Emit and Resend enqueue.
type Deliverer struct {
	pool   *pgxpool.Pool
	client *http.Client
	base   time.Duration
	log    *slog.Logger
}

// NewDeliverer returns a Deliverer on pool.
func NewDeliverer(pool *pgxpool.Pool, cfg DelivererConfig, log *slog.Logger) *Deliverer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	dialer := &net.Dialer{Timeout: timeout}
	if !cfg.AllowPrivate {
		dialer.Control = refusePrivate
	}
	transport := &http.Transport{
		DialContext:         dialer.DialContext,
		TLSHandshakeTimeout: timeout,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     time.Minute,
	}
	return &Deliverer{
		pool: pool,
		client: &http.Client{
			Timeout:   timeout,
			Transport: transport,
			// A redirect is an answer, not a delivery: the receiver's address is the one registered.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		base: cmpDuration(cfg.RetryBase, 30*time.Second),
		log:  log,
	}
}

// AddWorker registers the delivery job's worker on workers, for the server's River client.
func (d *Deliverer) AddWorker(workers *river.Workers) error {
	return river.AddWorkerSafely(workers, &worker{d: d})
}

type worker struct {
	river.WorkerDefaults[DeliverArgs]
	d *Deliverer
}

// Work posts the delivery. A failed try is returned as an error, so River tries again at
// NextRetry; the last one marks the delivery failed.
func (w *worker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	return w.d.deliver(ctx, job.Args.DeliveryID, job.Attempt >= job.MaxAttempts)
}

// NextRetry waits RetryBase after the first failed try and twice as long after each next one.
func (w *worker) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	return time.Now().Add(RetryDelay(w.d.base, job.Attempt))
}

// RetryDelay is the wait after the attempt-th failed try (1 for the first): base·2^(attempt-1),
// at most six hours, with ±10 % jitter so that many deliveries to one receiver that failed
// together do not all come back at once.
func RetryDelay(base time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < 6*time.Hour; i++ {
		d *= 2
	}
	d = min(d, 6*time.Hour)
	return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
}

// delivery is what a try needs.
type delivery struct {
	state, url, secret, typ, body string
	removed                       bool
}

// errRemoved is a delivery to a webhook that was removed.
var errRemoved = errors.New("the webhook was removed")

func (d *Deliverer) deliver(ctx context.Context, id uuid.UUID, last bool) error {
	var dl delivery
	err := d.pool.QueryRow(ctx, `
		SELECT dl.state, w.url, w.secret, w.removed_at IS NOT NULL, ev.type, ev.body
		FROM webhook_delivery dl JOIN webhook w ON w.id = dl.webhook_id JOIN webhook_event ev ON ev.id = dl.event_id
		WHERE dl.id = $1`, id).Scan(&dl.state, &dl.url, &dl.secret, &dl.removed, &dl.typ, &dl.body)
	if errors.Is(err, pgx.ErrNoRows) {
		return river.JobCancel(fmt.Errorf("webhook: delivery %s does not exist", id))
	}
	if err != nil {
		return fmt.Errorf("webhook: load delivery %s: %w", id, err)
	}
	if dl.state == "delivered" {
		return nil
	}
	if dl.removed {
		if err := d.record(ctx, id, nil, errRemoved.Error(), true); err != nil {
			return err
		}
		return river.JobCancel(fmt.Errorf("webhook: delivery %s: %w", id, errRemoved))
	}
	status, tryErr := d.post(ctx, id, dl)
	if tryErr == nil {
		d.log.InfoContext(ctx, "webhook delivered", "delivery_id", id, "type", dl.typ, "status", *status)
		return d.record(ctx, id, status, "", false)
	}
	if err := d.record(ctx, id, status, tryErr.Error(), last); err != nil {
		return err
	}
	return fmt.Errorf("webhook: delivery %s: %w", id, tryErr)
}

// post sends the delivery once, signed now, and returns the receiver's status, if it answered,
// and why the try failed, if it did: no answer, or an answer other than 2xx.
func (d *Deliverer) post(ctx context.Context, id uuid.UUID, dl delivery) (*int, error) {
	body := []byte(dl.body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dl.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("bad address: %w", err)
	}
	now := time.Now()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Mina sidor webhook")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(dl.secret, now, body))
	req.Header.Set(HeaderEvent, dl.typ)
	req.Header.Set(HeaderDelivery, id.String())
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, errors.New(safeError(err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // what it says is not kept
	status := resp.StatusCode
	if status < 200 || status > 299 {
		return &status, fmt.Errorf("HTTP %d", status)
	}
	return &status, nil
}

// safeError says why a request got no answer, without the address (whose query may hold a token
// of the receiver's).
func safeError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := err.Error()
	if len(msg) > 300 {
		msg = msg[:300]
	}
	return msg
}

// record writes a try's result to the delivery log: delivered, still pending, or failed for good.
func (d *Deliverer) record(ctx context.Context, id uuid.UUID, status *int, failure string, giveUp bool) error {
	state := "pending"
	switch {
	case failure == "":
		state = "delivered"
	case giveUp:
		state = "failed"
	}
	_, err := d.pool.Exec(ctx, `
		UPDATE webhook_delivery SET attempts = attempts + 1, last_attempt_at = now(), last_status = $2, last_error = $3,
			state = $4, delivered_at = CASE WHEN $4 = 'delivered' THEN now() END
		WHERE id = $1 AND state <> 'delivered'`, id, status, failure, state)
	if err != nil {
		return fmt.Errorf("webhook: record delivery %s: %w", id, err)
	}
	return nil
}

// refusePrivate refuses to connect to an address of the servers' own networks: loopback,
// private, link-local (cloud metadata services), unspecified and multicast.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
		return fmt.Errorf("webhook: %s is an address of a private network", host)
	}
	return nil
}

func cmpDuration(v, def time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return def
}
