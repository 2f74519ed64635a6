package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/auth"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/security"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/templates"
)

// Session keys of a staff login. They are apart from the citizen's: a citizen login never makes
// anyone staff.
const (
	sessionStaff     = "staff_id"
	sessionStaffName = "staff_name"
)

func staffLoginPath(ret string) string { return staffPrefix + "/login?return=" + url.QueryEscape(ret) }

// staffReturn keeps a return path inside the staff area.
func staffReturn(p string) string {
	p = safeReturnPath(p)
	if p != staffPrefix && !strings.HasPrefix(p, staffPrefix+"/") {
		return staffPrefix
	}
	return p
}

// staffLoginStart starts a staff member's login, with their municipality's IdP, on the host
// they are on.
func (s *Server) staffLoginStart(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, _ := tenantFrom(ctx)
	sp, err := s.staffSP(ctx, t.ID)
	if err != nil {
		return err
	}
	in := auth.StartInput{Provider: auth.Staff, Tenant: t.ID, ReturnPath: staffReturn(r.URL.Query().Get("return"))}
	return s.startLogin(w, r, in, sp)
}

// staffSAMLStart begins, on the installation's host, the SAML exchange of a staff login started
// on a municipality's host: the pending login names the municipality and so its IdP.
func (s *Server) staffSAMLStart(w http.ResponseWriter, r *http.Request) error {
	if err := s.onInstallationHost(r); err != nil {
		return err
	}
	ctx := r.Context()
	handle := r.URL.Query().Get("h")
	tenantID, err := s.logins.PendingTenant(ctx, handle)
	if err == nil {
		var sp *auth.ServiceProvider
		if sp, err = s.staffSP(ctx, tenantID); err == nil {
			err = s.beginSAML(w, r, sp, handle)
		}
	}
	var failed *auth.LoginError
	if errors.As(err, &failed) {
		return s.loginFailed(w, r, failed, staffLoginPath)
	}
	return err
}

// staffACS receives the municipality IdP's answer: the pending login decides which municipality
// (never the answer's issuer), and only a registered staff member gets in, here or, when the
// login started on a municipality's host, by a hand-over to that host.
func (s *Server) staffACS(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	var binding string
	if c, err := r.Cookie(LoginCookie); err == nil {
		binding = c.Value
	}
	http.SetCookie(w, s.loginCookie(LoginCookie, staffPrefix+"/saml", "", -1))

	fail := func(err error) error {
		var le *auth.LoginError
		if errors.As(err, &le) {
			return s.loginFailed(w, r, le, staffLoginPath)
		}
		return err
	}
	tenantID, err := s.logins.PendingTenant(ctx, r.PostForm.Get("RelayState"))
	if err != nil {
		return fail(err)
	}
	sp, err := s.staffSP(ctx, tenantID)
	if err != nil {
		return err
	}
	a, pending, err := sp.FinishAssertion(ctx, r.PostForm, binding)
	if err != nil {
		return fail(err)
	}
	ret := pending.ReturnPath
	id, err := auth.StaffIdentityFrom(a, s.staffAttributes())
	if err != nil {
		return fail(&auth.LoginError{Reason: auth.Failed, ReturnPath: ret, Cause: err})
	}
	member, err := s.staff.Login(ctx, tenantID, id.EmployeeID, id.Name, id.Email, id.Groups)
	if errors.Is(err, staff.ErrUnknown) {
		s.log.WarnContext(ctx, "staff login refused: not registered", "request_id", requestID(ctx), "tenant", tenantID)
		s.securityEvent(r, security.StaffLoginRefused, "not_registered")
		s.metrics.LoginRefused("staff", "not_registered")
		p := s.page(r, "staff.unknown.heading", "")
		p.Path = staffPrefix
		return s.render(w, r, http.StatusForbidden, templates.LoginFailedPage(p, templates.LoginFailedView{
			Heading: i18n.T(ctx, "staff.unknown.heading"), Message: i18n.T(ctx, "error.staff.unknown"), RetryURL: staffLoginPath(ret),
		}))
	}
	if err != nil {
		return err
	}
	subject := auth.Subject{ID: member.ID, Name: member.Name, AuthAt: time.Now()}
	if !pending.Direct() {
		return s.handOver(w, r, pending, subject)
	}
	if err := s.logInStaff(ctx, r, tenantID, subject); err != nil {
		return err
	}
	http.Redirect(w, r, ret, http.StatusSeeOther)
	return nil
}

// staffLoginReceive ends, on the municipality host it started on, a staff login whose SAML
// exchange ran on the installation's host.
func (s *Server) staffLoginReceive(w http.ResponseWriter, r *http.Request) error {
	h, err := s.receiveLogin(w, r, auth.Staff)
	var failed *auth.LoginError
	if errors.As(err, &failed) {
		return s.loginFailed(w, r, failed, staffLoginPath)
	}
	if err != nil {
		return err
	}
	if err := s.logInStaff(r.Context(), r, h.Tenant, h.Subject); err != nil {
		return err
	}
	http.Redirect(w, r, h.ReturnPath, http.StatusSeeOther)
	return nil
}

// logInStaff starts the staff member's session on the request's host.
func (s *Server) logInStaff(ctx context.Context, r *http.Request, tenantID uuid.UUID, who auth.Subject) error {
	if err := s.startSession(ctx, r); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionStaff, who.ID.String())
	s.sessions.Put(ctx, sessionStaffName, who.Name)
	s.metrics.LoginSucceeded("staff")
	s.log.InfoContext(ctx, "staff logged in", "request_id", requestID(ctx), "staff", who.ID, "tenant", tenantID)
	return nil
}

func (s *Server) staffAttributes() auth.StaffAttributes {
	return auth.StaffAttributes{EmployeeID: s.cfg.StaffAttrID, Name: s.cfg.StaffAttrName, Email: s.cfg.StaffAttrEmail, Groups: s.cfg.StaffAttrGroups}
}

// staffID returns the logged-in staff member's id, or uuid.Nil.
func (s *Server) staffID(r *http.Request) uuid.UUID {
	if !sessionLoaded(r.Context()) {
		return uuid.Nil
	}
	id, err := uuid.Parse(s.sessions.GetString(r.Context(), sessionStaff))
	if err != nil {
		return uuid.Nil
	}
	return id
}

// requireStaff lets in only a staff member of the municipality the request is for; anyone else
// is sent to the staff login.
func (s *Server) requireStaff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := s.staffID(r); id != uuid.Nil {
			m, err := s.staff.ByID(r.Context(), id)
			t, _ := tenantFrom(r.Context())
			if err == nil && m.TenantID == t.ID {
				next.ServeHTTP(w, r.WithContext(withStaff(r.Context(), m)))
				return
			}
		}
		http.Redirect(w, r, loginOrEnded(r, staffLoginPath), http.StatusSeeOther)
	})
}
