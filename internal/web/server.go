// Package web serves the portal's pages: chi routes in routes.go, one file per page or action,
// the middleware, and the adapter that turns a handler's error into a response.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
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
	"github.com/minasidor/minasidor/internal/retention"
	"github.com/minasidor/minasidor/internal/rights"
	"github.com/minasidor/minasidor/internal/security"
	"github.com/minasidor/minasidor/internal/signing"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/tenant"
	"github.com/minasidor/minasidor/internal/virusscan"
	"github.com/minasidor/minasidor/internal/webhook"
)

// SessionCookie is the name of the session cookie. It is not "session", which the development
// identity provider uses for its own.
const SessionCookie = "minasidor_session"

// Deps is what the server is built from: the configuration and the domain's stores and
// services, wired by internal/app.
type Deps struct {
	Config        config.Config
	Log           *slog.Logger
	Catalogue     *i18n.Catalogue
	Sessions      scs.Store
	Ready         func(context.Context) error // answers whether the database answers
	Tenants       *tenant.Store
	Accounts      *account.Store
	EServices     *eservice.Store
	Drafts        *draft.Store
	Cases         *casework.Store
	Messages      *message.Store
	Staff         *staff.Store
	Bulletins     *bulletin.Store
	Bookings      *booking.Store
	Disclosure    *disclosure.Store // requests for public documents
	Notices       *notify.Notifier
	Logins        *auth.Logins
	Citizen       *auth.ServiceProvider
	StaffLogins   *auth.StaffProviders
	DevIdP        *devidp.IdP // nil unless DEV_IDP is on
	Metrics       *metrics.Metrics
	Scanner       *virusscan.Guard // scans uploads; the stores above hold it too
	Webhooks      *webhook.Store
	APIClients    *apiclient.Store
	Archive       *archive.Store
	Signing       *signing.Store
	Companies     organisation.Register
	Organisations *organisation.Store
	Security      *security.Log // security events; nil records none
	Retention     *retention.Service
	Extracts      *extract.Service
	Rights        *rights.Store
}

// Server holds what the handlers share.
type Server struct {
	cfg         config.Config
	log         *slog.Logger
	catalogue   *i18n.Catalogue
	sessions    *scs.SessionManager
	ready       func(context.Context) error
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
	staffLogins *auth.StaffProviders
	bulletins   *bulletin.Store
	bookings    *booking.Store
	disclosure  *disclosure.Store
	logins      *auth.Logins
	metrics     *metrics.Metrics // nil: nothing is counted
	draining    atomic.Bool      // shutting down: /readyz answers 503 (Drain)
	signing     *signing.Store
	companies   organisation.Register
	orgs        *organisation.Store
	now         func() time.Time // the clock that session deadlines are checked against
	webhooks    *webhook.Store
	apiClients  *apiclient.Store
	archive     *archive.Store
	security    *security.Log
	retention   *retention.Service
	extracts    *extract.Service
	rights      *rights.Store
}

// Option changes how New builds the server.
type Option func(*Server)

// WithClock makes the server check session deadlines against now instead of the system clock,
// for tests of what happens after a while without waiting for it.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithBookingClock makes the booking rules (how far ahead, how late one may book or cancel, how
// long a time picked in a form is held) use now instead of the system clock, for tests of them.
func WithBookingClock(now func() time.Time) Option {
	return func(s *Server) {
		s.bookings = s.bookings.WithClock(now)
		s.drafts = s.drafts.WithBookings(s.bookings)
		s.cases = s.cases.WithBookings(s.bookings)
	}
}

// WithSigningClock makes the signing deadlines and reminders use now instead of the system
// clock, for tests of them.
func WithSigningClock(now func() time.Time) Option {
	return func(s *Server) { s.signing = s.signing.WithClock(now) }
}

// New builds the server from its dependencies.
func New(d Deps, opts ...Option) (*Server, error) {
	cfg := d.Config
	s := &Server{
		cfg: cfg, log: d.Log, catalogue: d.Catalogue, ready: d.Ready,
		tenants: d.Tenants, accounts: d.Accounts, eservices: d.EServices, drafts: d.Drafts, cases: d.Cases,
		messages: d.Messages, citizen: d.Citizen, devIdP: d.DevIdP, notices: d.Notices, staff: d.Staff,
		staffLogins: d.StaffLogins, bulletins: d.Bulletins, bookings: d.Bookings, logins: d.Logins, disclosure: d.Disclosure,
		metrics: d.Metrics, now: time.Now, webhooks: d.Webhooks, apiClients: d.APIClients, archive: d.Archive,
		signing: d.Signing, companies: d.Companies, orgs: d.Organisations,
		security: d.Security, retention: d.Retention, extracts: d.Extracts, rights: d.Rights,
	}
	for _, o := range opts {
		o(s)
	}
	s.sessions = scs.New()
	s.sessions.Store = d.Sessions
	s.sessions.Codec = auth.SessionCodec{}
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
	return s, nil
}
