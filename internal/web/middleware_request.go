package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"github.com/minasidor/minasidor/internal/audit"
)

type requestIDKey struct{}

// withRequest gives every request a random id, in its context and in the X-Request-Id header, so
// that a user's error reference leads to the log line; and puts the client's address in its
// context, where the audit records written while serving it find it.
func (s *Server) withRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		w.Header()["X-Request-Id"] = []string{id}
		ctx := audit.WithClientAddr(context.WithValue(r.Context(), requestIDKey{}, id), s.clientIP(r))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
