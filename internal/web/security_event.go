package web

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/security"
)

// securityEvent records a security event of the request (a refused login, a forged request, a
// code lock-out) with its client's address, in the database and the security log. It is the
// portal's record of an attack, like a log line: a failure to store it is logged, and the
// response goes on as it would without it. A GET (or HEAD) writes nothing: its event, such as a
// refused login hand-over, goes to the security log only.
func (s *Server) securityEvent(r *http.Request, kind, reason string) {
	if s.security == nil {
		return
	}
	ctx := r.Context()
	e := security.Event{Kind: kind, Reason: reason, Addr: s.clientIP(r), Method: r.Method, Path: r.URL.Path,
		RequestID: requestID(ctx), AccountID: s.citizenID(ctx)}
	if t, ok := tenantFrom(ctx); ok {
		e.TenantID = t.ID
	}
	if id := s.staffID(r); id != uuid.Nil {
		e.StaffID = id
	}
	record := s.security.Record
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		record = s.security.Note
	}
	if err := record(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "security event not stored", "err", err, "kind", kind, "request_id", e.RequestID)
	}
}
