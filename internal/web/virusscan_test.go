package web_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/url"
	"testing"

	"github.com/minasidor/minasidor/internal/config"
	"github.com/minasidor/minasidor/internal/virusscan"
	"github.com/minasidor/minasidor/internal/virusscan/clamdtest"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// Every upload path over HTTP against the real ClamAV daemon (clamdtest, with our EICAR
// signature): a file holding the EICAR test string is refused with a clear message, the answers
// are kept, nothing is stored and the finding is recorded; a clean file is stored, marked clean.
func TestUploadsScannedByClamd(t *testing.T) {
	addr := clamdtest.Addr(t)
	p := webtest.Start(t, func(c *config.Config) { c.ClamdAddr = addr })
	infectedPNG := append(pngImage(t), virusscan.EICAR()...) // a real picture, with the test string after it
	infectedPDF := append(pdfDocument("Karta"), virusscan.EICAR()...)
	findings := func(source string) int {
		return csCount(t, p, `SELECT count(*) FROM virus_finding WHERE source = $1 AND signature = $2`, source, clamdtest.Signature)
	}
	const refusedSv = "Filen innehåller ett virus och har inte tagits emot."

	t.Run("a citizen's step", func(t *testing.T) {
		b := newBrowser(t, p)
		draftID, loc := b.start("felanmalan-gatubelysning")
		fields := url.Values{"action": {"next"}}
		for k, v := range streetLightingSteps()["fault"] {
			fields[k] = v
		}
		resp, body := b.multipart(loc, fields, upload{"photos", "lykta.png", infectedPNG})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("infected photo: status %d: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "the step after an infected photo", body, refusedSv, "Kungsgatan 12")
		if n := csCount(t, p, `SELECT count(*) FROM upload WHERE draft_id = $1`, draftID); n != 0 {
			t.Errorf("%d files stored after the infected photo", n)
		}
		if n := findings(virusscan.SourceDraftFile); n != 1 {
			t.Errorf("%d findings recorded, want 1", n)
		}

		resp, body = b.multipart(loc, fields, upload{"photos", "lykta.png", pngImage(t)})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("clean photo: status %d: %s", resp.StatusCode, errorText(body))
		}
		if n := csCount(t, p, `SELECT count(*) FROM upload WHERE draft_id = $1 AND scan = 'clean'`, draftID); n != 1 {
			t.Errorf("%d clean files stored, want 1", n)
		}
	})

	t.Run("a message's attachment, in English", func(t *testing.T) {
		karin := loggedIn(t, p, "adult")
		karin.post("/sprak", url.Values{"lang": {"en"}, "return": {"/"}})
		caseID := csSubmitStreetLighting(karin, nil, nil)
		sendURL := "/arenden/" + caseID + "/meddelanden"
		resp, body := karin.multipart(sendURL, url.Values{"body": {"See the map."}}, upload{"files", "karta.pdf", infectedPDF})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("infected attachment: status %d: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "the case page after an infected attachment", body, "The file contains a virus and has not been accepted.", "See the map.")
		if n := csCount(t, p, `SELECT count(*) FROM message WHERE case_id = $1`, caseID); n != 0 {
			t.Errorf("%d messages stored with an infected attachment", n)
		}
		if n := findings(virusscan.SourceMessage); n != 1 {
			t.Errorf("%d findings recorded, want 1", n)
		}
		resp, body = karin.multipart(sendURL, url.Values{"body": {"See the map."}}, upload{"files", "karta.pdf", pdfDocument("Karta")})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("clean attachment: status %d: %s", resp.StatusCode, errorText(body))
		}
		if n := csCount(t, p, `SELECT count(*) FROM upload WHERE case_id = $1 AND message_id IS NOT NULL AND scan = 'clean'`, caseID); n != 1 {
			t.Errorf("%d clean attachments stored, want 1", n)
		}
	})

	t.Run("the municipality's logo", func(t *testing.T) {
		maria := staffBrowser(t, p, "municipality-admin-alingsas")
		resp, body := maria.multipart("/personal/admin/kommun/logotyp", nil, upload{"logo", "logga.png", infectedPNG})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("infected logo: status %d: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "the settings after an infected logo", body, refusedSv)
		if n := csCount(t, p, `SELECT count(*) FROM tenant WHERE logo IS NOT NULL`); n != 0 {
			t.Errorf("%d logos stored", n)
		}
		if n := findings(virusscan.SourceLogo); n != 1 {
			t.Errorf("%d findings recorded, want 1", n)
		}
	})

	t.Run("an e-service import", func(t *testing.T) {
		erik := staffBrowser(t, p, "eservice-admin-alingsas")
		doc := []byte(`{"format": "minasidor.eservice", "note": "` + string(virusscan.EICAR()[:20]) + `"}`)
		doc = append(doc, virusscan.EICAR()...)
		resp, body := erik.multipart("/personal/etjanster/import", nil, upload{"document", "e-tjanst.json", doc})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("infected import: status %d: %s", resp.StatusCode, errorText(body))
		}
		assertContains(t, "the import after an infected document", body, refusedSv)
		if n := findings(virusscan.SourceImport); n != 1 {
			t.Errorf("%d findings recorded, want 1", n)
		}
	})
}

// With the scanner down and the default policy, an upload is refused with a message to try again,
// the answers kept and nothing stored.
func TestUploadRefusedWhileScannerDown(t *testing.T) {
	down := closedAddr(t)
	p := webtest.Start(t, func(c *config.Config) { c.ClamdAddr = down })
	b := newBrowser(t, p)
	draftID, loc := b.start("felanmalan-gatubelysning")
	fields := url.Values{"action": {"next"}}
	for k, v := range streetLightingSteps()["fault"] {
		fields[k] = v
	}
	resp, body := b.multipart(loc, fields, upload{"photos", "lykta.png", pngImage(t)})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("upload while the scanner is down: status %d: %s", resp.StatusCode, errorText(body))
	}
	assertContains(t, "the step", body, "Filen kunde inte kontrolleras mot virus just nu och har inte tagits emot.", "Kungsgatan 12")
	if n := csCount(t, p, `SELECT count(*) FROM upload WHERE draft_id = $1`, draftID); n != 0 {
		t.Errorf("%d files stored unscanned", n)
	}
}

// closedAddr is a clamd address where nothing answers.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "tcp://" + l.Addr().String()
}

// With CLAMD_UNAVAILABLE=rescan, a file the scanner could not check is kept, marked pending and
// not served until the rescan has scanned it; an infected one found then is wiped, recorded and
// never served.
func TestUploadsKeptForRescan(t *testing.T) {
	down := closedAddr(t)
	p := webtest.Start(t, func(c *config.Config) { c.ClamdAddr, c.ClamdUnavailable = down, "rescan" })
	karin := loggedIn(t, p, "adult")
	caseID := csSubmitStreetLighting(karin, nil, nil)
	sendURL := "/arenden/" + caseID + "/meddelanden"
	for _, f := range []upload{{"files", "ren.pdf", pdfDocument("Ren")}, {"files", "smittad.pdf", append(pdfDocument("Smittad"), virusscan.EICAR()...)}} {
		if resp, body := karin.multipart(sendURL, url.Values{"body": {"Bifogar " + f.Name}}, f); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s while the scanner is down: status %d: %s", f.Name, resp.StatusCode, errorText(body))
		}
	}
	var clean, infected string
	for name, id := range map[string]*string{"ren.pdf": &clean, "smittad.pdf": &infected} {
		if err := p.Pool.QueryRow(t.Context(), `SELECT id::text FROM upload WHERE case_id = $1 AND filename = $2 AND scan = 'pending'`, caseID, name).Scan(id); err != nil {
			t.Fatalf("%s kept pending: %v", name, err)
		}
	}
	fileURL := func(id string) string { return "/arenden/" + caseID + "/filer/" + id }
	resp, body := karin.get(fileURL(clean))
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("a pending file served: status %d", resp.StatusCode)
	}
	assertContains(t, "a pending file", body, "Filen kontrolleras mot virus.")
	// The caseworker is refused it too, and a refused read is not recorded.
	anna := staffBrowser(t, p, "caseworker-alingsas")
	staffFile := func(id string) (int, int) {
		resp, _ := anna.get("/personal/arenden/" + caseID + "/filer/" + id)
		return resp.StatusCode, csCount(t, p, `SELECT count(*) FROM audit_record WHERE what = 'file' AND detail = $1`, id)
	}
	if status, reads := staffFile(clean); status != http.StatusConflict || reads != 0 {
		t.Errorf("the caseworker's read of a pending file: status %d, %d records", status, reads)
	}

	// The rescan job's work, with the real daemon back.
	guard := virusscan.NewGuard(mustClamd(t, clamdtest.Addr(t)), p.Pool, virusscan.Rescan, nil, nil)
	if n, err := guard.Rescan(context.Background(), virusscan.RescanBatch); err != nil || n < 2 {
		t.Fatalf("rescan settled %d files: %v", n, err)
	}
	if resp, body := karin.get(fileURL(clean)); resp.StatusCode != http.StatusOK || !bytes.HasPrefix([]byte(body), []byte("%PDF")) {
		t.Errorf("the clean file after the rescan: status %d", resp.StatusCode)
	}
	resp, body = karin.get(fileURL(infected))
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("the infected file after the rescan: status %d", resp.StatusCode)
	}
	assertContains(t, "the infected file", body, "Filen har tagits bort eftersom den innehöll ett virus.")
	if status, reads := staffFile(clean); status != http.StatusOK || reads != 1 {
		t.Errorf("the caseworker's read of the clean file after the rescan: status %d, %d records", status, reads)
	}
	if status, reads := staffFile(infected); status != http.StatusConflict || reads != 0 {
		t.Errorf("the caseworker's read of the infected file: status %d, %d records", status, reads)
	}
	if n := csCount(t, p, `SELECT count(*) FROM upload WHERE id = $1 AND scan = 'infected' AND octet_length(data) = 0`, infected); n != 1 {
		t.Error("the infected file is not wiped")
	}
	if n := csCount(t, p, `SELECT count(*) FROM virus_finding WHERE source = 'rescan' AND upload_id = $1`, infected); n != 1 {
		t.Errorf("%d findings of the rescan, want 1", n)
	}
}

func mustClamd(t *testing.T, addr string) *virusscan.Clamd {
	t.Helper()
	c, err := virusscan.NewClamd(addr, 0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
