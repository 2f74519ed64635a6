package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/minasidor/minasidor/internal/virusscan"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// The metrics after some requests: requests by route pattern and status with latency histograms,
// logins started, succeeded and refused by reason, uploads refused by reason, virus findings, the
// database pool and the job queue. No label holds a path, an identity or a name.
func TestMetrics(t *testing.T) {
	p := webtest.Start(t)
	visitor := newBrowser(t, p)
	visitor.page("/")
	visitor.page("/e-tjanster/felanmalan-gatubelysning")
	if resp, _ := visitor.get("/finns-inte"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown page: %d", resp.StatusCode)
	}

	karin := loggedIn(t, p, "adult") // a login started and one succeeded
	c := p.Client(t)
	cancel, err := p.DevIdP.Cancel(p.BeginLogin(t, c, "/mina-sidor")) // one started and cancelled
	if err != nil {
		t.Fatal(err)
	}
	webtest.ReadBody(t, p.Do(t, c, "POST", "/saml/acs", url.Values{"SAMLResponse": {cancel.SAMLResponse}, "RelayState": {cancel.RelayState}}))

	draftID, loc := karin.start("felanmalan-gatubelysning")
	fields := url.Values{"action": {"next"}}
	for k, v := range streetLightingSteps()["fault"] {
		fields[k] = v
	}
	for _, f := range []upload{{"photos", "text.png", []byte("not a picture")}, {"photos", "eicar.png", append(pngImage(t), virusscan.EICAR()...)}} {
		if resp, body := karin.multipart(loc, fields, f); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d: %s", f.Name, resp.StatusCode, errorText(body))
		}
	}
	// A job waiting in the queue, for its gauge.
	if _, err := p.Pool.Exec(t.Context(), `INSERT INTO river_job (args, kind, max_attempts, queue, state, scheduled_at)
		VALUES ('{}', 'metrics_test', 1, 'default', 'scheduled', now() + interval '1 day')`); err != nil {
		t.Fatal(err)
	}

	rec := httptest.NewRecorder()
	p.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`minasidor_http_requests_total{method="GET",route="/",status="200"} 1`,
		`minasidor_http_requests_total{method="GET",route="/e-tjanster/{slug}",status="200"} 1`,
		`minasidor_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`minasidor_http_requests_total{method="POST",route="/utkast/{draft}/steg/{step}",status="422"} 2`,
		`minasidor_http_request_duration_seconds_bucket{method="GET",route="/",le="+Inf"} 1`,
		`minasidor_http_request_duration_seconds_count{method="POST",route="/saml/acs"} 2`,
		`minasidor_logins_started_total{who="citizen"} 2`,
		`minasidor_logins_succeeded_total{who="citizen"} 1`,
		`minasidor_logins_refused_total{reason="cancelled",who="citizen"} 1`,
		`minasidor_uploads_refused_total{reason="type"} 1`,
		`minasidor_uploads_refused_total{reason="infected"} 1`,
		`minasidor_virus_scans_total{outcome="infected",source="draft_file"} 1`,
		`minasidor_virus_findings_total{source="draft_file"} 1`,
		`minasidor_db_pool_connections{state="max"} 20`,
		`minasidor_db_pool_acquires_total `,
		`minasidor_jobs{kind="metrics_test",queue="default",state="scheduled"} 1`,
		`minasidor_jobs_scrape_error 0`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the metrics lack %s", want)
		}
	}
	for _, personal := range []string{draftID, "19850412", "Karin", "Lindqvist", "finns-inte", "Kungsgatan"} {
		if strings.Contains(body, personal) {
			t.Errorf("the metrics hold %q", personal)
		}
	}
	if t.Failed() {
		t.Log(body)
	}
}
