package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
)

// sessionExtend keeps the session alive ("Stanna inloggad"). A form post returns to the page;
// app.js asks for JSON and gets the new end time.
func (s *Server) sessionExtend(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	if s.citizenID(ctx) == uuid.Nil {
		if r.Header.Get("Accept") == "application/json" {
			w.WriteHeader(http.StatusUnauthorized)
			return nil
		}
		http.Redirect(w, r, "/utloggad?orsak=inaktivitet&return="+url.QueryEscape(safeReturnPath(r.PostForm.Get("return"))), http.StatusSeeOther)
		return nil
	}
	s.touchSession(ctx, s.now())
	if r.Header.Get("Accept") == "application/json" {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		return json.NewEncoder(w).Encode(map[string]string{"sessionEnds": s.sessionEnds(ctx).UTC().Format(time.RFC3339)})
	}
	http.Redirect(w, r, safeReturnPath(r.PostForm.Get("return")), http.StatusSeeOther)
	return nil
}
