package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/draft"
)

const (
	sessionDraftKey = "draft_key" // a visitor's drafts belong to this random key
	sessionReceipts = "receipts"  // case ids whose receipt this session may show
)

// draftOwner is who the request speaks for: the logged-in account, and the visitor key the
// session may hold from before a login.
func (s *Server) draftOwner(ctx context.Context) draft.Owner {
	o := draft.Owner{AccountID: s.citizenID(ctx)}
	if k, err := base64.RawURLEncoding.DecodeString(s.sessions.GetString(ctx, sessionDraftKey)); err == nil && len(k) > 0 {
		o.SessionKey = k
	}
	return o
}

// visitorKey returns the session's visitor key, making one when there is none.
func (s *Server) visitorKey(ctx context.Context) []byte {
	if o := s.draftOwner(ctx); len(o.SessionKey) > 0 {
		return o.SessionKey
	}
	k := make([]byte, 32)
	rand.Read(k)
	s.sessions.Put(ctx, sessionDraftKey, base64.RawURLEncoding.EncodeToString(k))
	return k
}

// journey is a draft with its e-service and version, as the step, review and submit pages need,
// with the addresses of its pages.
type journey struct{ draft.Journey }

// loadJourney loads the draft named in the address for its owner; anyone else gets not found.
func (s *Server) loadJourney(r *http.Request) (journey, error) {
	id, err := uuid.Parse(chi.URLParam(r, "draft"))
	if err != nil {
		return journey{}, apperr.New(apperr.NotFound, "")
	}
	dj, err := s.drafts.Journey(r.Context(), id, s.draftOwner(r.Context()))
	if err != nil {
		return journey{}, err
	}
	return journey{dj}, nil
}

func (j journey) stepURL(step string) string {
	return "/utkast/" + j.Draft.ID.String() + "/steg/" + step
}

func (j journey) reviewURL() string { return "/utkast/" + j.Draft.ID.String() + "/granska" }

// rememberReceipt lets this session show the case's receipt (a visitor has no account to prove
// the case is theirs).
func (s *Server) rememberReceipt(ctx context.Context, caseID uuid.UUID) {
	list, _ := s.sessions.Get(ctx, sessionReceipts).([]string)
	if !slices.Contains(list, caseID.String()) {
		list = append(list, caseID.String())
	}
	if len(list) > 20 {
		list = list[len(list)-20:]
	}
	s.sessions.Put(ctx, sessionReceipts, list)
}

// receiptReader is who asks for a receipt in this request: the citizen's account, the visitor's
// session, and the receipts the session may show (rememberReceipt).
func (s *Server) receiptReader(ctx context.Context) casework.ReceiptReader {
	list, _ := s.sessions.Get(ctx, sessionReceipts).([]string)
	return casework.ReceiptReader{AccountID: s.citizenID(ctx), SessionKey: s.draftOwner(ctx).SessionKey, Receipts: list}
}
