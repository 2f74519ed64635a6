// Package web serves the portal's pages: chi routes in routes.go, one file per page or action,
// the middleware, and the adapter that turns a handler's error into a response.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/crewjam/saml"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/account"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/auth/devidp"
	"github.com/minasidor/minasidor/internal/bulletin"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/draft"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/message"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/population"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/tenant"
)

// SessionCookie is the name of the session cookie. It is not "session", which the development
// identity provider uses for its own.
const SessionCookie = "minasidor_session"

// Server holds what the handlers share.
type Server struct {
	cfg         config.Config
	log         *slog.Logger
	pool        *pgxpool.Pool
	catalogue   *i18n.Catalogue
	sessions    *scs.SessionManager
	stop        context.CancelFunc
	done        chan struct{}
	tenants     *tenant.Store
	accounts    *account.Store
	eservices   *eservice.Store
	drafts      *draft.Store
	cases       *casework.Store
	messages    *message.Store
	citizen     *auth.ServiceProvider
	devIdP      *devidp.IdP // nil unless DEV_IDP is on
	notices     *notify.Notifier
	staff       *staff.Store
	staffKeys   auth.KeyPair
	staffLogins staffLogins
	bulletins   *bulletin.Store
	logins      *auth.Logins
	now         func() time.Time // the clock that session deadlines are checked against
}

// Option changes how New builds the server.
type Option func(*Server)

// WithClock makes the server check session deadlines against now instead of the system clock,
// for tests of what happens after a while without waiting for it.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// New builds a server on an open, migrated pool.
func New(cfg config.Config, log *slog.Logger, pool *pgxpool.Pool, opts ...Option) (*Server, error) {
	catalogue, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:       cfg,
		log:       log,
		pool:      pool,
		catalogue: catalogue,
		tenants:   tenant.NewStore(pool),
		bulletins: bulletin.NewStore(pool),
		logins:    auth.NewLogins(pool, cfg.BaseURL),
		now:       time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	s.sessions = scs.New()
	s.sessions.Store = pgxstore.NewWithCleanupInterval(pool, 0)
	// The idle timeout is enforced by guardSession, which moves a session's deadline on at most
	// once a minute; scs's own idle timeout would write the session on every request.
	s.sessions.Lifetime = cfg.SessionLifetime
	s.sessions.Cookie.Name = SessionCookie
	s.sessions.Cookie.HttpOnly = true
	s.sessions.Cookie.Secure = cfg.IsProduction()
	s.sessions.Cookie.SameSite = http.SameSiteLaxMode
	s.sessions.Cookie.Path = "/"
	s.sessions.Cookie.Persist = false // gone when the browser closes
	s.sessions.ErrorFunc = s.fail

	register, err := populationRegister(cfg)
	if err != nil {
		return nil, err
	}
	s.accounts = account.NewStore(pool, register, log)
	s.staff = staff.NewStore(pool)
	s.staffLogins.sps = map[uuid.UUID]*auth.ServiceProvider{}
	if s.notices, err = notify.New(pool, notifyConfig(cfg), log); err != nil {
		return nil, err
	}
	s.eservices = eservice.NewStore(pool)
	s.drafts = draft.NewStore(pool)
	s.cases = casework.NewStore(pool, s.notices)
	s.messages = message.NewStore(pool, s.notices)
	if err := s.setUpLogin(); err != nil {
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	if err := s.notices.Start(ctx); err != nil {
		stop()
		return nil, err
	}
	s.stop, s.done = stop, make(chan struct{})
	go func() {
		defer close(s.done)
		s.housekeeping(ctx, 5*time.Minute)
	}()
	return s, nil
}

// setUpLogin builds the citizen service provider, and the development IdP when it is on.
func (s *Server) setUpLogin() error {
	cfg := s.cfg
	keys, err := auth.LoadKeyPair(cfg.SAMLKeyFile, cfg.SAMLCertFile, cfg.BaseURL.Host, !cfg.IsProduction())
	if err != nil {
		return err
	}
	var idpMetadata *saml.EntityDescriptor
	if cfg.DevIdP {
		idpKeys, err := auth.NewKeyPair("Mina sidor development IdP")
		if err != nil {
			return err
		}
		s.devIdP = devidp.New(cfg.BaseURL, idpKeys)
		idpMetadata = s.devIdP.Metadata()
	} else {
		if idpMetadata, err = auth.LoadIdPMetadata(context.Background(), cfg.SAMLIdPMetadata); err != nil {
			return err
		}
	}
	s.citizen = auth.NewServiceProvider(s.pool, auth.SPConfig{
		Name:        auth.Citizen,
		BaseURL:     cfg.BaseURL,
		PathPrefix:  "/saml",
		Keys:        keys,
		IdPMetadata: idpMetadata,
		LoA:         cfg.SAMLLoA,
		DisplayName: map[string]string{
			"sv": s.catalogue.Printer(i18n.Swedish).T("layout.product"),
			"en": s.catalogue.Printer(i18n.English).T("layout.product"),
		},
	})
	if s.staffKeys, err = auth.LoadKeyPair(cfg.StaffKeyFile, cfg.StaffCertFile, cfg.BaseURL.Host, !cfg.IsProduction()); err != nil {
		return err
	}
	if s.devIdP != nil {
		for _, metadata := range []func() ([]byte, error){s.citizen.Metadata, s.staffMetadataDoc} {
			md, err := metadata()
			if err != nil {
				return err
			}
			if err := s.devIdP.Register(md); err != nil {
				return err
			}
		}
	}
	return nil
}

// staffMetadataDoc is the staff service provider's metadata: the same for every municipality.
func (s *Server) staffMetadataDoc() ([]byte, error) {
	return auth.NewServiceProvider(s.pool, s.staffSPConfig(uuid.Nil, &saml.EntityDescriptor{})).Metadata()
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

// Close stops the server's background work, letting deliveries under way finish. The pool is the
// caller's to close.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.notices.Stop(ctx); err != nil {
		s.log.Warn("stop notices", "err", err)
	}
	s.stop()
	<-s.done
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

// DevIdP returns the development IdP, or nil when it is off. Tests use it to make answers that a
// real IdP could send, good and bad.
func (s *Server) DevIdP() *devidp.IdP { return s.devIdP }

// VersionOf returns the form definition of an e-service version, for tests that compare
// answers as the caseworker sees them.
func (s *Server) VersionOf(ctx context.Context, id uuid.UUID) (*form.Definition, error) {
	v, err := s.eservices.Version(ctx, id)
	return v.Definition, err
}

// Notices returns the server's notifier.
func (s *Server) Notices() *notify.Notifier { return s.notices }
