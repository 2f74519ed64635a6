// Package app wires the portal together: from the configuration and an open, migrated pool it
// builds every store, the population register client, the SAML service providers and the
// development IdP, hands them to the web server in one Deps, and runs the background work
// (delivering notices, housekeeping) until it is closed. cmd/minasidor and the tests start the
// portal through it.
package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/crewjam/saml"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/account"
	"github.com/minasidor/minasidor/internal/apiclient"
	"github.com/minasidor/minasidor/internal/archive"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/auth/devidp"
	"github.com/minasidor/minasidor/internal/booking"
	"github.com/minasidor/minasidor/internal/bulletin"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/disclosure"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/extract"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/metrics"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/organisation"
	"github.com/minasidor/minasidor/internal/population"
	"github.com/minasidor/minasidor/internal/retention"
	"github.com/minasidor/minasidor/internal/rights"
	"github.com/minasidor/minasidor/internal/security"
	"github.com/minasidor/minasidor/internal/signing"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/tenant"
	"github.com/minasidor/minasidor/internal/virusscan"
	"github.com/minasidor/minasidor/internal/web"
	"github.com/minasidor/minasidor/internal/webhook"
	"github.com/riverqueue/river"
)

// App is a running portal: its web server and the background work behind it.
type App struct {
	Deps    web.Deps
	Web     *web.Server
	Metrics *metrics.Metrics // served by cmd/minasidor on METRICS_ADDR
	Scanner *virusscan.Guard
	log     *slog.Logger
	cfg     config.Config
	stop    context.CancelFunc
	done    chan struct{}
	// closeLog closes the security log's file, if it has one.
	closeLog func() error
}

// New builds the portal on pool and starts its background work. Close stops it.
func New(cfg config.Config, log *slog.Logger, pool *pgxpool.Pool, opts ...web.Option) (*App, error) {
	secLog, closer, err := security.OpenLog(cfg.SecurityLog)
	if err != nil {
		return nil, err
	}
	d, err := deps(cfg, log, pool, secLog)
	if err != nil {
		closer.Close()
		return nil, err
	}
	srv, err := web.New(d, opts...)
	if err != nil {
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	if err := d.Notices.Start(ctx); err != nil {
		stop()
		return nil, err
	}
	a := &App{Deps: d, Web: srv, Metrics: d.Metrics, Scanner: d.Scanner, log: log, cfg: cfg, stop: stop, done: make(chan struct{}),
		closeLog: closer.Close}
	go func() {
		defer close(a.done)
		a.housekeeping(ctx, pool, 5*time.Minute)
	}()
	return a, nil
}

// Handler is every route of the portal.
func (a *App) Handler() http.Handler { return a.Web.Handler() }

// Drain makes the server say it is not ready (/readyz), the first step of a graceful stop.
func (a *App) Drain() { a.Web.Drain() }

// Close stops the background work, letting jobs under way finish for SHUTDOWN_TIMEOUT (jobs not
// finished by then are retried later, by this or another server). The pool is the caller's to
// close.
func (a *App) Close() {
	limit := a.cfg.ShutdownTimeout
	if limit <= 0 {
		limit = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	start := time.Now()
	if err := a.Deps.Notices.Stop(ctx); err != nil {
		a.log.Warn("stop job queue", "err", err)
	}
	a.stop()
	<-a.done
	a.log.Info("job queue stopped", "took_ms", time.Since(start).Milliseconds())
	if err := a.closeLog(); err != nil {
		a.log.Warn("close security log", "err", err)
	}
}

// deps builds what the web server needs.
func deps(cfg config.Config, log *slog.Logger, pool *pgxpool.Pool, secLog *slog.Logger) (web.Deps, error) {
	catalogue, err := i18n.Load()
	if err != nil {
		return web.Deps{}, err
	}
	register, err := populationRegister(cfg)
	if err != nil {
		return web.Deps{}, err
	}
	companies, err := companyRegister(cfg)
	if err != nil {
		return web.Deps{}, err
	}
	m := metrics.New(pool)
	guard, err := scanGuard(cfg, pool, log, m)
	if err != nil {
		return web.Deps{}, err
	}
	// The webhooks' deliveries, the archive packages, the virus rescans, the retention job and
	// the register extracts are jobs on the notices' River client.
	deliverer := webhook.NewDeliverer(pool, webhook.DelivererConfig{
		RetryBase: cfg.WebhookRetryBase, Timeout: cfg.WebhookTimeout, AllowPrivate: cfg.WebhookAllowPrivate,
	}, log)
	builder := archive.NewBuilder(pool, log)
	ret := retention.New(pool, retention.Config{AddressRetention: cfg.AddressRetention,
		VisitorDraftAge: cfg.SessionLifetime + 24*time.Hour, Interval: cfg.RetentionInterval}, log)
	extracts := extract.New(pool, cfg.ExtractLifetime, log)
	nc := notifyConfig(cfg)
	nc.Observe = m.Notice
	nc.Jobs = func(w *river.Workers) error {
		return errors.Join(deliverer.AddWorker(w), builder.AddWorker(w), extracts.AddWorkers(w))
	}
	notices, err := notify.New(pool, nc, log)
	if err != nil {
		return web.Deps{}, err
	}
	ret.Bind(notices)
	extracts.Bind(notices)
	staffStore := staff.NewStore(pool)
	bookings := booking.NewStore(pool, notices, nil)
	// The periodic work: retention, the rescan of files kept while the scanner was down, and the
	// times held for drafts' booking fields that have expired, given back every minute.
	periodic := []notify.Periodic{ret.Periodic(), {Name: "booking_release_holds", Interval: time.Minute,
		Run: func(ctx context.Context) error { _, err := bookings.ReleaseExpired(ctx); return err }}}
	if cfg.ClamdUnavailable == string(virusscan.Rescan) {
		periodic = append(periodic, guard.PeriodicRescan(cfg.ClamdRescanEvery))
	}
	for _, p := range periodic {
		if err := notices.Every(p); err != nil {
			return web.Deps{}, err
		}
	}
	cases := casework.NewStore(pool, notices).WithBookings(bookings)
	d := web.Deps{
		Config:     cfg,
		Log:        log,
		Catalogue:  catalogue,
		Sessions:   auth.NewSessionStore(pool), // the housekeeping purges them
		Ready:      pool.Ping,
		Tenants:    tenant.NewStore(pool).WithScanner(guard),
		Accounts:   account.NewStore(pool, register, log),
		EServices:  eservice.NewStore(pool).WithScanner(guard),
		Drafts:     draft.NewStore(pool).WithBookings(bookings).WithScanner(guard),
		Cases:      cases,
		Messages:   message.NewStore(pool, notices).WithScanner(guard),
		Staff:      staffStore,
		Bulletins:  bulletin.NewStore(pool),
		Bookings:   bookings,
		Disclosure: disclosure.NewStore(pool, notices),
		Notices:    notices,
		Logins:     auth.NewLogins(pool, cfg.BaseURL),
		Metrics:    m,
		Scanner:    guard,
		Webhooks:   webhook.NewStore(pool, webhook.Options{RequireHTTPS: cfg.IsProduction()}),
		APIClients: apiclient.NewStore(pool),
		Archive:    archive.NewStore(pool),
		Companies:  companies,
		Security:   security.New(pool, secLog),
		Retention:  ret,
		Extracts:   extracts,
		Rights:     rights.NewStore(pool, cases),
	}
	d.Organisations = organisation.NewStore(pool, companies)
	d.Cases = cases.WithRepresentatives(d.Organisations) // an organisation's representatives read its cases
	keys, err := auth.LoadKeyPair(cfg.SAMLKeyFile, cfg.SAMLCertFile, cfg.BaseURL.Host, !cfg.IsProduction())
	if err != nil {
		return web.Deps{}, err
	}
	var idpMetadata *saml.EntityDescriptor
	if cfg.DevIdP {
		// Kept in the data folder, so that signatures made before a restart still verify.
		idpKeys, err := auth.LoadKeyPair(cfg.DataDir+"/saml/devidp-key.pem", cfg.DataDir+"/saml/devidp-cert.pem", "Mina sidor development IdP", true)
		if err != nil {
			return web.Deps{}, err
		}
		d.DevIdP = devidp.New(cfg.BaseURL, idpKeys)
		idpMetadata = d.DevIdP.Metadata()
	} else if idpMetadata, err = auth.LoadIdPMetadata(context.Background(), cfg.SAMLIdPMetadata); err != nil {
		return web.Deps{}, err
	}
	d.Citizen = auth.NewServiceProvider(pool, auth.SPConfig{
		Name:        auth.Citizen,
		BaseURL:     cfg.BaseURL,
		PathPrefix:  "/saml",
		Keys:        keys,
		IdPMetadata: idpMetadata,
		LoA:         cfg.SAMLLoA,
		DisplayName: map[string]string{
			"sv": catalogue.Printer(i18n.Swedish).T("layout.product"),
			"en": catalogue.Printer(i18n.English).T("layout.product"),
		},
	})
	d.Signing = signing.NewStore(pool, register, companies, notices, d.Cases, auth.NewSigner(d.Citizen, cfg.SAMLSignLoA), cfg.BaseURL)
	staffKeys, err := auth.LoadKeyPair(cfg.StaffKeyFile, cfg.StaffCertFile, cfg.BaseURL.Host, !cfg.IsProduction())
	if err != nil {
		return web.Deps{}, err
	}
	d.StaffLogins = auth.NewStaffProviders(pool, cfg.BaseURL, staffKeys, cfg.StaffNameIDFormat, staffStore.IdPMetadata, idpMetadataOf(d.DevIdP))
	if d.DevIdP != nil {
		for _, metadata := range []func() ([]byte, error){d.Citizen.Metadata, d.StaffLogins.Metadata} {
			md, err := metadata()
			if err != nil {
				return web.Deps{}, err
			}
			if err := d.DevIdP.Register(md); err != nil {
				return web.Deps{}, err
			}
		}
	}
	return d, nil
}

// scanGuard is the virus scanner of uploads: ClamAV's daemon at CLAMD_ADDR, or else (only in
// development; the configuration requires the address in production) the development scanner,
// which knows the EICAR test file only.
func scanGuard(cfg config.Config, pool *pgxpool.Pool, log *slog.Logger, m *metrics.Metrics) (*virusscan.Guard, error) {
	var scanner virusscan.Scanner = virusscan.EICAROnly{}
	if cfg.ClamdAddr != "" {
		c, err := virusscan.NewClamd(cfg.ClamdAddr, cfg.ClamdTimeout)
		if err != nil {
			return nil, err
		}
		scanner = c
	}
	log.Info("virus scanning", "scanner", scanner.Name(), "when_unavailable", cfg.ClamdUnavailable)
	return virusscan.NewGuard(scanner, pool, virusscan.Policy(cfg.ClamdUnavailable), log, m.Scanned), nil
}

// idpMetadataOf is the development IdP's metadata, or nil when it is off.
func idpMetadataOf(d *devidp.IdP) *saml.EntityDescriptor {
	if d == nil {
		return nil
	}
	return d.Metadata()
}

// populationRegister is the real register client when one is configured, and the development
// register of test persons otherwise (the configuration allows that only in development).
func populationRegister(cfg config.Config) (population.Register, error) {
	if cfg.PopulationURL == "" {
		return population.NewDev(), nil
	}
	return population.NewClient(population.ClientConfig{
		BaseURL:  cfg.PopulationURL,
		CertFile: cfg.PopulationCertFile,
		KeyFile:  cfg.PopulationKeyFile,
		CAFile:   cfg.PopulationCAFile,
	})
}

// companyRegister is the real companies register client when one is configured, and the
// development register of test companies otherwise (the configuration allows that only in
// development).
func companyRegister(cfg config.Config) (organisation.Register, error) {
	if cfg.CompanyURL == "" {
		return organisation.NewDev(), nil
	}
	return organisation.NewClient(organisation.ClientConfig{
		BaseURL:  cfg.CompanyURL,
		CertFile: cfg.CompanyCertFile,
		KeyFile:  cfg.CompanyKeyFile,
		CAFile:   cfg.CompanyCAFile,
	})
}

// notifyConfig is the notices' part of the configuration. In development, e-mail and SMS without
// a server go to the development mailbox.
func notifyConfig(cfg config.Config) notify.Config {
	return notify.Config{
		BaseURL: cfg.BaseURL.String(),
		Dev:     !cfg.IsProduction(),
		SMTP: notify.SMTPConfig{
			Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword,
			From: cfg.SMTPFrom, TLS: cfg.SMTPTLS,
		},
		SMS: notify.SMSConfig{URL: cfg.SMSURL, Token: cfg.SMSToken, Sender: cfg.SMSSender},
	}
}

// housekeeping deletes expired sessions, pending logins and used assertion ids, and the record
// of one-time code attempts older than any limit counts, enqueues the reminders of bookings that
// are due, and returns drafts whose signing deadline passed and reminds co-signers, every so
// often, until ctx ends.
func (a *App) housekeeping(ctx context.Context, pool *pgxpool.Pool, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, purge := range []func(context.Context) error{
			func(ctx context.Context) error { return auth.PurgeExpired(ctx, pool) },
			a.Deps.Notices.PurgeCodeAttempts,
			func(ctx context.Context) error { _, err := a.Deps.Bookings.Remind(ctx); return err },
			func(ctx context.Context) error { _, _, err := a.Deps.Signing.Due(ctx); return err },
		} {
			if err := purge(ctx); err != nil && ctx.Err() == nil {
				a.log.WarnContext(ctx, "housekeeping failed", "err", err)
			}
		}
	}
}
