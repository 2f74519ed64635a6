package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apiclient"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/web/webtest"
	"go.yaml.in/yaml/v3"
)

// apiCaller calls the API with a key over real HTTP.
type apiCaller struct {
	t   *testing.T
	p   *webtest.Portal
	key string
}

// call sends a request with the key (none when empty) and a JSON body (none when nil), and
// returns the response with its body read.
func (a apiCaller) call(method, path string, body any) (*http.Response, []byte) {
	a.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.p.URL+"/api/v1"+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.key != "" {
		req.Header.Set("Authorization", "Bearer "+a.key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return resp, out
}

// json calls and decodes the JSON answer into v, failing unless the status is want.
func (a apiCaller) json(method, path string, body any, want int, v any) {
	a.t.Helper()
	resp, out := a.call(method, path, body)
	if resp.StatusCode != want {
		a.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, out)
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			a.t.Fatalf("%s %s: %v: %s", method, path, err, out)
		}
	}
}

// apiErr is the API's error document.
type apiErr struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// refused checks that a call is refused with the status and JSON error code.
func (a apiCaller) refused(method, path string, body any, status int, code string) *http.Response {
	a.t.Helper()
	resp, out := a.call(method, path, body)
	var e apiErr
	if resp.StatusCode != status || json.Unmarshal(out, &e) != nil || e.Error.Code != code || e.Error.Message == "" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		a.t.Errorf("%s %s: status %d %s, want %d with code %q", method, path, resp.StatusCode, out, status, code)
	}
	return resp
}

// newClient makes an API client of the municipality through the store, as the admin page does.
func newClient(t *testing.T, p *webtest.Portal, staffKey, name string, rate int, scopes ...string) string {
	t.Helper()
	_, key, err := apiclient.NewStore(p.Pool).Create(context.Background(), p.StaffMember(t, staffKey).Actor(),
		apiclient.New{Name: name, Scopes: scopes, RateLimit: rate})
	if err != nil {
		t.Fatal(err)
	}
	return key
}

var keyInput = regexp.MustCompile(`id="secret" type="text" readonly value="(ms_[^"]+)"`)

// The API over real HTTP: keys, scopes, the rate limit, and each endpoint calling the caseworker's
// own domain functions, with their audit records, history and notices.
func TestAPI(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()

	// A municipality admin makes a client and is shown its key once.
	maria := staffBrowser(t, p, "municipality-admin-alingsas")
	resp, body := maria.post("/personal/admin/integrationer/api-klienter", url.Values{"client_name": {""}, "rate_limit": {"0"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad client: %d", resp.StatusCode)
	}
	assertContains(t, "refused client", body, "Skriv ett namn", "Välj minst en behörighet", "Skriv ett heltal")
	resp, body = maria.post("/personal/admin/integrationer/api-klienter", url.Values{"client_name": {"Ärendesystem Lex"}, "rate_limit": {"1000"},
		"scopes": {apiclient.ScopeCasesRead, apiclient.ScopeCasesWrite, apiclient.ScopeMessagesWrite, apiclient.ScopeArchive}})
	m := keyInput.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("add a client: %d: %s", resp.StatusCode, errorText(body))
	}
	lex := apiCaller{t, p, html.UnescapeString(m[1])}
	page := maria.page("/personal/admin/integrationer")
	assertContains(t, "clients", page, "Ärendesystem Lex", "1000 anrop per minut", "cases:read, cases:write, messages:write, archive:export")
	assertLacks(t, "clients", page, lex.key)
	var hash []byte
	if err := p.Pool.QueryRow(ctx, `SELECT secret_hash FROM api_client WHERE name = 'Ärendesystem Lex'`).Scan(&hash); err != nil || len(hash) != 32 ||
		strings.Contains(lex.key, string(hash)) {
		t.Errorf("the stored secret: %x, %v", hash, err)
	}

	karin := loggedIn(t, p, "adult")
	photo := pngImage(t)
	caseID := csSubmitStreetLighting(karin, photo, nil)
	var reference, fileID string
	if err := p.Pool.QueryRow(ctx, `SELECT c.reference, u.id::text FROM cases c JOIN upload u ON u.case_id = c.id WHERE c.id = $1`, caseID).
		Scan(&reference, &fileID); err != nil {
		t.Fatal(err)
	}

	t.Run("keys", func(t *testing.T) {
		for _, key := range []string{"", "ms_nonsense", "ms_" + strings.Repeat("0", 32) + "_" + strings.Repeat("A", 43), lex.key + "x",
			lex.key[:len(lex.key)-2] + "AA"} {
			resp := apiCaller{t, p, key}.refused("GET", "/cases", nil, http.StatusUnauthorized, "unauthorized")
			if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without WWW-Authenticate: %v", resp.Header)
			}
		}
		// Basic authentication, or the key in the query, is no key.
		req, _ := http.NewRequest("GET", p.URL+"/api/v1/cases?key="+url.QueryEscape(lex.key), nil)
		req.SetBasicAuth("lex", lex.key)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("basic authentication: %v %v", resp.StatusCode, err)
		}
		// The description is public; an unknown address answers in JSON.
		if resp, out := (apiCaller{t, p, ""}).call("GET", "/openapi.yaml", nil); resp.StatusCode != http.StatusOK || !bytes.HasPrefix(out, []byte("openapi: 3")) {
			t.Errorf("openapi.yaml: %d", resp.StatusCode)
		}
		lex.refused("GET", "/nothing-here", nil, http.StatusNotFound, "not_found")
		lex.refused("DELETE", "/cases/"+caseID, nil, http.StatusMethodNotAllowed, "method_not_allowed")
	})

	t.Run("scopes", func(t *testing.T) {
		reader := apiCaller{t, p, newClient(t, p, "ali-1004", "Läsare", 100, apiclient.ScopeCasesRead)}
		reader.json("GET", "/cases/"+caseID, nil, http.StatusOK, nil)
		reader.refused("POST", "/cases/"+caseID+"/status", map[string]string{"status": "under_handlaggning"}, http.StatusForbidden, "forbidden")
		reader.refused("POST", "/cases/"+caseID+"/close", map[string]string{"decision": "Nej."}, http.StatusForbidden, "forbidden")
		reader.refused("POST", "/cases/"+caseID+"/messages", map[string]string{"text": "Hej"}, http.StatusForbidden, "forbidden")
		reader.refused("POST", "/cases/"+caseID+"/export", nil, http.StatusForbidden, "forbidden")
		writer := apiCaller{t, p, newClient(t, p, "ali-1004", "Skrivare", 100, apiclient.ScopeMessagesWrite)}
		writer.refused("GET", "/cases", nil, http.StatusForbidden, "forbidden")
		writer.refused("GET", "/cases/"+caseID+"/files/"+fileID, nil, http.StatusForbidden, "forbidden")
		// Another municipality's client sees nothing of Alingsås, and learns nothing.
		var motalaAdmin uuid.UUID
		if err := p.Pool.QueryRow(ctx, `SELECT id FROM tenant WHERE slug = 'motala'`).Scan(&motalaAdmin); err != nil {
			t.Fatal(err)
		}
		_, key, err := apiclient.NewStore(p.Pool).Create(ctx, audit.Actor{TenantID: motalaAdmin, StaffID: p.StaffMember(t, "mot-2001").ID, Name: "Mikael"},
			apiclient.New{Name: "Motalas system", Scopes: apiclient.Scopes, RateLimit: 100})
		if err != nil {
			t.Fatal(err)
		}
		motala := apiCaller{t, p, key}
		motala.refused("GET", "/cases/"+caseID, nil, http.StatusNotFound, "not_found")
		motala.refused("GET", "/cases/"+caseID+"/files/"+fileID, nil, http.StatusNotFound, "not_found")
		motala.refused("POST", "/cases/"+caseID+"/messages", map[string]string{"text": "Hej"}, http.StatusNotFound, "not_found")
		var list struct{ Cases []struct{ ID string } }
		motala.json("GET", "/cases", nil, http.StatusOK, &list)
		for _, c := range list.Cases {
			if c.ID == caseID {
				t.Errorf("Motala's client lists Alingsås's case")
			}
		}
	})

	t.Run("rate limit", func(t *testing.T) {
		limited := apiCaller{t, p, newClient(t, p, "ali-1004", "Snål", 3, apiclient.ScopeCasesRead)}
		// Requests with a wrong secret for the client's id are refused and not counted: nobody can
		// use up a client's limit without its key.
		wrong := apiCaller{t, p, limited.key[:len(limited.key)-4] + "AAAA"}
		for range 5 {
			wrong.refused("GET", "/cases?limit=1", nil, http.StatusUnauthorized, "unauthorized")
		}
		for i := range 3 {
			if resp, out := limited.call("GET", "/cases?limit=1", nil); resp.StatusCode != http.StatusOK {
				t.Fatalf("request %d within the limit: %d %s", i+1, resp.StatusCode, out)
			}
		}
		resp := limited.refused("GET", "/cases?limit=1", nil, http.StatusTooManyRequests, "rate_limited")
		if s := resp.Header.Get("Retry-After"); s == "" || s == "0" {
			t.Errorf("429 with Retry-After %q", s)
		}
		// Each client has its own limit.
		lex.json("GET", "/cases?limit=1", nil, http.StatusOK, nil)
		// The window is the installation's, in the database: a new window starts a new count.
		if _, err := p.Pool.Exec(ctx, `UPDATE api_client SET window_start = now() - interval '61 seconds' WHERE name = 'Snål'`); err != nil {
			t.Fatal(err)
		}
		limited.json("GET", "/cases?limit=1", nil, http.StatusOK, nil)
	})

	t.Run("list and fetch", func(t *testing.T) {
		records := func() int {
			return dbInt(t, p, `SELECT count(*) FROM audit_record r JOIN api_client k ON k.id = r.api_client_id WHERE k.name = 'Ärendesystem Lex'`)
		}
		before := records()
		var list struct {
			Cases []struct {
				ID, Reference, Status string
				SubmittedAt           time.Time `json:"submitted_at"`
			}
			Next string
		}
		lex.json("GET", "/cases?state=open&limit=100", nil, http.StatusOK, &list)
		found := false
		for _, c := range list.Cases {
			found = found || (c.ID == caseID && c.Reference == reference && c.Status == "submitted")
		}
		if !found {
			t.Errorf("the open cases lack %s: %+v", reference, list.Cases)
		}
		lex.refused("GET", "/cases?state=lost", nil, http.StatusBadRequest, "invalid")
		lex.refused("GET", "/cases?limit=1000", nil, http.StatusBadRequest, "invalid")

		var c struct {
			ID, Reference string
			Status        struct{ Type, Key, Label string }
			Applicant     *struct {
				Name           string
				PersonalNumber string `json:"personal_number"`
			}
			Answers []struct {
				Key    string
				Fields []struct {
					Key, Label string
					Values     []string
				}
			}
			RawAnswers map[string][]string `json:"raw_answers"`
			Files      []struct{ ID, Name, URL string }
			Events     []struct{ Kind string }
			Statuses   []struct{ Key, Type string }
		}
		lex.json("GET", "/cases/"+caseID, nil, http.StatusOK, &c)
		if c.Reference != reference || c.Status.Type != "submitted" || c.Applicant == nil || c.Applicant.PersonalNumber != "19850412-9829" ||
			len(c.Files) != 1 || c.Files[0].Name != "lykta.png" || len(c.Events) == 0 || c.Events[0].Kind != "submitted" || len(c.Statuses) < 3 ||
			c.RawAnswers["location"][0] != "Kungsgatan 12" {
			t.Errorf("the case: %+v", c)
		}
		shown := false
		for _, st := range c.Answers {
			for _, f := range st.Fields {
				shown = shown || (f.Key == "photos" && len(f.Values) == 1 && f.Values[0] == "lykta.png")
			}
		}
		if !shown {
			t.Errorf("the answers lack the photo by name: %+v", c.Answers)
		}
		resp, data := lex.call("GET", strings.TrimPrefix(c.Files[0].URL, "/api/v1"), nil)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(data, photo) || resp.Header.Get("Content-Type") != "image/png" {
			t.Errorf("the file: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(data))
		}
		lex.refused("GET", "/cases/"+uuid.NewString(), nil, http.StatusNotFound, "not_found")
		lex.refused("GET", "/cases/not-a-uuid", nil, http.StatusNotFound, "not_found")
		lex.refused("GET", "/cases/"+caseID+"/files/"+uuid.NewString(), nil, http.StatusNotFound, "not_found")

		// The list, the case and the file are three reads, recorded under the client's name, and
		// the citizen sees the client among those who read the case.
		if n := records() - before; n != 3 {
			t.Errorf("%d audit records of the reads, want 3 (the list, the case, the file)", n)
		}
		var what, name, role string
		var staffID *uuid.UUID
		if err := p.Pool.QueryRow(ctx, `SELECT what, staff_name, role, staff_id FROM audit_record WHERE case_id = $1 AND what = 'case' ORDER BY at DESC LIMIT 1`, caseID).
			Scan(&what, &name, &role, &staffID); err != nil || name != "Ärendesystem Lex" || role != "caseworker" || staffID != nil {
			t.Errorf("the case read's record: %s %s %s %v %v", what, name, role, staffID, err)
		}
		readers, err := audit.ReadersOfCase(ctx, p.Pool, uuid.MustParse(caseID))
		if err != nil || len(readers) != 2 || readers[0].Name != "Ärendesystem Lex" || readers[1].Name != "Läsare" {
			t.Errorf("readers: %+v %v", readers, err)
		}
		assertContains(t, "the citizen's case page", karin.page("/arenden/"+caseID), "Ärendesystem Lex")
	})

	t.Run("status, message and close", func(t *testing.T) {
		lex.refused("POST", "/cases/"+caseID+"/status", map[string]string{"status": "nonsense"}, http.StatusBadRequest, "invalid")
		lex.refused("POST", "/cases/"+caseID+"/status", map[string]string{"status": "avslutat"}, http.StatusBadRequest, "invalid")
		lex.refused("POST", "/cases/"+caseID+"/status", map[string]any{"status": "under_handlaggning", "colour": "red"}, http.StatusBadRequest, "invalid")
		lex.refused("POST", "/cases/"+caseID+"/status", "not an object", http.StatusBadRequest, "invalid")
		lex.refused("POST", "/cases/"+caseID+"/status", map[string]string{"status": "under_handlaggning", "message": strings.Repeat("x", 300<<10)},
			http.StatusRequestEntityTooLarge, "too_large")
		notices := func(kind string) int {
			return dbInt(t, p, `SELECT count(*) FROM notice WHERE case_id = $1 AND kind = $2`, caseID, kind)
		}
		lex.json("POST", "/cases/"+caseID+"/status", map[string]string{"status": "under_handlaggning", "message": "Vi har tagit emot din anmälan."}, http.StatusNoContent, nil)
		var key, actor string
		if err := p.Pool.QueryRow(ctx, `SELECT c.status_key, e.actor FROM cases c JOIN case_event e ON e.case_id = c.id AND e.kind = 'status' WHERE c.id = $1`, caseID).
			Scan(&key, &actor); err != nil || key != "under_handlaggning" || actor != "Ärendesystem Lex" {
			t.Errorf("after the status: %s by %q, %v", key, actor, err)
		}
		if notices("status_changed") != 1 || notices("new_message") != 1 {
			t.Errorf("notices: %d status, %d message", notices("status_changed"), notices("new_message"))
		}
		lex.refused("POST", "/cases/"+caseID+"/messages", map[string]string{"text": "  "}, http.StatusBadRequest, "invalid")
		lex.json("POST", "/cases/"+caseID+"/messages", map[string]string{"text": "Lyktan byts på torsdag."}, http.StatusNoContent, nil)
		assertContains(t, "the citizen's thread", karin.page("/arenden/"+caseID), "Lyktan byts på torsdag.", "Vi har tagit emot din anmälan.")
		if notices("new_message") != 2 {
			t.Errorf("%d message notices, want 2", notices("new_message"))
		}

		lex.refused("POST", "/cases/"+caseID+"/close", map[string]string{"decision": ""}, http.StatusBadRequest, "invalid")
		lex.json("POST", "/cases/"+caseID+"/close", map[string]string{"decision": "Lyktan är lagad."}, http.StatusNoContent, nil)
		assertContains(t, "the citizen's closed case", karin.page("/arenden/"+caseID), "Lyktan är lagad.", "Avslutat")
		if notices("case_closed") != 1 {
			t.Errorf("%d closing notices, want 1", notices("case_closed"))
		}
		lex.refused("POST", "/cases/"+caseID+"/close", map[string]string{"decision": "Igen."}, http.StatusConflict, "conflict")
		lex.refused("POST", "/cases/"+caseID+"/messages", map[string]string{"text": "Hallå?"}, http.StatusConflict, "conflict")
		var closed struct{ Cases []struct{ ID string } }
		lex.json("GET", "/cases?state=closed", nil, http.StatusOK, &closed)
		if len(closed.Cases) == 0 || closed.Cases[0].ID != caseID {
			t.Errorf("the closed cases: %+v", closed.Cases)
		}
	})

	t.Run("archive export", func(t *testing.T) {
		open := csSubmitStreetLighting(karin, nil, nil)
		lex.refused("POST", "/cases/"+open+"/export", nil, http.StatusConflict, "conflict")
		var x struct {
			ID, State, URL string
			PackageURL     string `json:"package_url"`
			SHA256         string
		}
		resp, out := lex.call("POST", "/cases/"+caseID+"/export", nil)
		if resp.StatusCode != http.StatusAccepted || json.Unmarshal(out, &x) != nil || resp.Header.Get("Location") != x.URL {
			t.Fatalf("export: %d %s", resp.StatusCode, out)
		}
		for deadline := time.Now().Add(60 * time.Second); x.State == "pending"; time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the export was not made in a minute")
			}
			lex.json("GET", strings.TrimPrefix(x.URL, "/api/v1"), nil, http.StatusOK, &x)
		}
		if x.State != "done" || len(x.SHA256) != 64 {
			t.Fatalf("the export: %+v", x)
		}
		resp, pkg := lex.call("GET", strings.TrimPrefix(x.PackageURL, "/api/v1"), nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
			t.Fatalf("the package: %d", resp.StatusCode)
		}
		checkPackage(t, pkg, reference, photo, "Lyktan är lagad.", "Lyktan byts på torsdag.")
		if n := dbInt(t, p, `SELECT count(*) FROM audit_record WHERE case_id = $1 AND what = 'archive' AND staff_name = 'Ärendesystem Lex'`, caseID); n != 1 {
			t.Errorf("%d audit records of the package, want 1", n)
		}
	})
}

// Every path and method that api/openapi.yaml documents answers on the real server (401 without
// a key, not 404 or 405), and the description is valid enough to read: each operation has
// responses and each $ref resolves.
func TestOpenAPIDocumentsRealRoutes(t *testing.T) {
	p := webtest.Start(t)
	resp, body := get(t, http.DefaultClient, p.URL+"/api/v1/openapi.yaml")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("openapi.yaml: %d", resp.StatusCode)
	}
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile(`\$ref: "#/components/([a-zA-Z]+)/([A-Za-z]+)"`).FindAllStringSubmatch(body, -1)
	components, _ := doc["components"].(map[string]any)
	for _, r := range refs {
		if kind, _ := components[r[1]].(map[string]any); kind == nil || kind[r[2]] == nil {
			t.Errorf("$ref %s/%s does not resolve", r[1], r[2])
		}
	}
	paths, _ := doc["paths"].(map[string]any)
	if len(paths) < 8 {
		t.Fatalf("only %d paths documented", len(paths))
	}
	sample := strings.NewReplacer("{case}", uuid.NewString(), "{file}", uuid.NewString(), "{export}", uuid.NewString())
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			if method == "parameters" {
				continue
			}
			if resps, _ := op.(map[string]any)["responses"].(map[string]any); len(resps) == 0 {
				t.Errorf("%s %s documents no responses", method, path)
			}
			want := http.StatusUnauthorized
			if path == "/openapi.yaml" {
				want = http.StatusOK
			}
			req, _ := http.NewRequest(strings.ToUpper(method), p.URL+"/api/v1"+sample.Replace(path), nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("%s %s: %d, want %d", strings.ToUpper(method), path, resp.StatusCode, want)
			}
		}
	}
}
