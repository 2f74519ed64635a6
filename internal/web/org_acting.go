package web

import (
	"context"

	"github.com/minasidor/minasidor/internal/organisation"
)

// Session keys of the organisation the citizen acts for (see orgAct).
const (
	sessionOrgKind   = "org_kind"
	sessionOrgNumber = "org_number"
	sessionOrgName   = "org_name"
)

// actingFor is the organisation the citizen acts for in this session, as chosen (checked
// against the registers when chosen, and again when a draft starts); nil when they act for
// themselves.
func (s *Server) actingFor(ctx context.Context) *organisation.Organisation {
	if !sessionLoaded(ctx) {
		return nil
	}
	number := s.sessions.GetString(ctx, sessionOrgNumber)
	if number == "" {
		return nil
	}
	return &organisation.Organisation{Kind: s.sessions.GetString(ctx, sessionOrgKind), Number: number,
		Name: s.sessions.GetString(ctx, sessionOrgName)}
}

// setActing makes the session act for o; nil ends it.
func (s *Server) setActing(ctx context.Context, o *organisation.Organisation) {
	if o == nil {
		s.sessions.Remove(ctx, sessionOrgKind)
		s.sessions.Remove(ctx, sessionOrgNumber)
		s.sessions.Remove(ctx, sessionOrgName)
		return
	}
	s.sessions.Put(ctx, sessionOrgKind, o.Kind)
	s.sessions.Put(ctx, sessionOrgNumber, o.Number)
	s.sessions.Put(ctx, sessionOrgName, o.Name)
}
