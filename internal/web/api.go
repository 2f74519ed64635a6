package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/minasidor/minasidor/api"
	"github.com/minasidor/minasidor/internal/apiclient"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
)

// The case systems' API under /api/v1: JSON, a bearer key per client (internal/apiclient),
// scopes, a rate limit per client, and errors as {"error": {"code", "message"}}. Each handler
// calls the same domain function as the caseworker's page that does the same, acting as the
// client's member (apiclient.Client.Member). api/openapi.yaml describes every route.

// apiPrefix is where the API is served.
const apiPrefix = "/api/v1"

// apiBodyLimit bounds a request body: the API takes short JSON documents.
const apiBodyLimit = 256 << 10

// apiRoutes are the API's routes, relative to apiPrefix.
func (s *Server) apiRoutes(r chi.Router) {
	r.Get("/openapi.yaml", s.apiOpenAPI)
	r.Group(func(r chi.Router) {
		r.Use(s.apiAuth)
		read := r.With(s.requireScope(apiclient.ScopeCasesRead))
		read.Get("/cases", s.api(s.apiCaseList))
		read.Get("/cases/{case}", s.api(s.apiCaseShow))
		read.Get("/cases/{case}/files/{file}", s.api(s.apiCaseFile))
		r.With(s.requireScope(apiclient.ScopeCasesWrite)).Post("/cases/{case}/status", s.api(s.apiCaseStatus))
		r.With(s.requireScope(apiclient.ScopeCasesWrite)).Post("/cases/{case}/close", s.api(s.apiCaseClose))
		r.With(s.requireScope(apiclient.ScopeMessagesWrite)).Post("/cases/{case}/messages", s.api(s.apiCaseMessage))
		export := r.With(s.requireScope(apiclient.ScopeArchive))
		export.Post("/cases/{case}/export", s.api(s.apiCaseExport))
		export.Get("/exports/{export}", s.api(s.apiExport))
		export.Get("/exports/{export}/package", s.api(s.apiExportPackage))
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		s.apiFail(w, r, apperr.New(apperr.NotFound, ""))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, http.StatusMethodNotAllowed, "method_not_allowed", i18n.For("en").T("api.error.405"))
	})
}

// apiOpenAPI serves the API's description.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(api.OpenAPI)
}

type apiClientKey struct{}

// apiClientFrom is the request's authenticated client.
func apiClientFrom(ctx context.Context) apiclient.Client {
	c, _ := ctx.Value(apiClientKey{}).(apiclient.Client)
	return c
}

// apiAuth lets through a request with a client's key (Authorization: Bearer <key>) within the
// client's rate limit, with the client in its context, and bounds its body.
func (s *Server) apiAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			s.apiFail(w, r, apiclient.ErrUnauthorized)
			return
		}
		c, err := s.apiClients.Authenticate(r.Context(), key)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		if r.ContentLength > apiBodyLimit {
			s.apiFail(w, r, apperr.New(apperr.TooLarge, ""))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, apiBodyLimit)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), apiClientKey{}, c)))
	})
}

// requireScope refuses a client without the scope.
func (s *Server) requireScope(scope string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !apiClientFrom(r.Context()).Has(scope) {
				s.apiError(w, r, http.StatusForbidden, "forbidden", i18n.For("en").T("api.error.scope", scope))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// api adapts a handlerFunc of the API: its error becomes a JSON error.
func (s *Server) api(fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.apiFail(w, r, err)
		}
	}
}

// apiCodes are the error codes of the API's statuses.
var apiCodes = map[int]string{
	http.StatusBadRequest:            "invalid",
	http.StatusUnauthorized:          "unauthorized",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusConflict:              "conflict",
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusTooManyRequests:       "rate_limited",
	http.StatusInternalServerError:   "internal",
}

// apiFail writes err as the API's JSON error, with the message of its catalogue key in English
// (the API's language). Only server faults are logged.
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	en := i18n.For("en")
	msg := en.T("api.error." + statusKey(status))
	if key := apperr.KeyOf(err); key != "" && status < 500 {
		msg = en.T(key)
	}
	var fields apperr.FieldErrors
	if errors.As(err, &fields) && len(fields) > 0 {
		msg = en.T(fields[0].Key)
	}
	switch status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="minasidor"`)
	case http.StatusTooManyRequests:
		var limited *apiclient.RateLimitedError
		if errors.As(err, &limited) {
			w.Header().Set("Retry-After", strconv.Itoa(int(limited.RetryAfter.Seconds()+0.999)))
		}
	}
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "err", err, "request_id", requestID(r.Context()), "method", r.Method, "path", r.URL.Path)
	}
	code, ok := apiCodes[status]
	if !ok {
		code = "internal"
	}
	s.apiError(w, r, status, code, msg)
}

// apiErrorBody is the API's error document.
type apiErrorBody struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"request_id,omitempty"`
	} `json:"error"`
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	var b apiErrorBody
	b.Error.Code, b.Error.Message = code, msg
	if status >= 500 {
		b.Error.RequestID = requestID(r.Context())
	}
	writeJSON(w, status, b)
}

// writeJSON writes v as the JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// readJSON decodes the request's JSON body into v; anything else is a bad request.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return apperr.Wrap(apperr.Invalid, "api.error.json", err)
	}
	return nil
}

// apiID parses the route's id parameter; anything but a UUID is not found.
func apiID(r *http.Request, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, name))
	if err != nil {
		return uuid.Nil, apperr.New(apperr.NotFound, "")
	}
	return id, nil
}
