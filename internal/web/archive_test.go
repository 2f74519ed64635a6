package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/archive"
	"github.com/minasidor/minasidor/internal/web/webtest"
)

// metsDoc is what a records system reads of METS.xml: every file it lists, with its checksum.
type metsDoc struct {
	XMLName xml.Name `xml:"http://www.loc.gov/METS/ mets"`
	ObjID   string   `xml:"OBJID,attr"`
	Dmd     []struct {
		Ref metsRef `xml:"mdRef"`
	} `xml:"dmdSec"`
	Files []struct {
		metsRef
		ID       string `xml:"ID,attr"`
		Location struct {
			Href string `xml:"http://www.w3.org/1999/xlink href,attr"`
		} `xml:"FLocat"`
	} `xml:"fileSec>fileGrp>file"`
	Divs []struct {
		Pointers []struct {
			FileID string `xml:"FILEID,attr"`
		} `xml:"fptr"`
	} `xml:"structMap>div>div"`
}

// pointers are the file ids the structMap points at.
func (m metsDoc) pointers() string {
	var ids []string
	for _, d := range m.Divs {
		for _, p := range d.Pointers {
			ids = append(ids, p.FileID)
		}
	}
	return strings.Join(ids, " ")
}

type metsRef struct {
	Href         string `xml:"http://www.w3.org/1999/xlink href,attr"`
	Size         int64  `xml:"SIZE,attr"`
	Checksum     string `xml:"CHECKSUM,attr"`
	ChecksumType string `xml:"CHECKSUMTYPE,attr"`
	MimeType     string `xml:"MIMETYPE,attr"`
}

// checkPackage validates an archive package as a records system would: every file is under the
// folder named by the reference; METS.xml lists every other file exactly once, each with the
// right size and SHA-256; every XML file is well-formed; and the case's data is in it: its
// reference, the applicant, the decision, the messages, the answers and the original photo.
func checkPackage(t *testing.T, pkg []byte, reference string, photo []byte, wants ...string) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, reference+"/")
		if !ok || strings.Contains(name, "..") || path.IsAbs(name) {
			t.Errorf("a file outside the package's folder: %s", f.Name)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := files[name]; dup {
			t.Errorf("%s twice in the ZIP", name)
		}
		files[name] = data
	}
	for name, data := range files {
		if strings.HasSuffix(name, ".xml") {
			dec := xml.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Errorf("%s is not well-formed XML: %v", name, err)
					break
				}
			}
		}
	}
	var m metsDoc
	if err := xml.Unmarshal(files[archive.ManifestPath], &m); err != nil {
		t.Fatalf("METS.xml: %v", err)
	}
	if m.ObjID != reference {
		t.Errorf("METS OBJID %q, want %s", m.ObjID, reference)
	}
	listed := map[string]metsRef{}
	for _, d := range m.Dmd {
		listed[d.Ref.Href] = d.Ref
	}
	for _, f := range m.Files {
		if f.Location.Href != f.Href && f.Href != "" {
			t.Errorf("file %s: two addresses", f.ID)
		}
		f.metsRef.Href = f.Location.Href
		if _, dup := listed[f.Href]; dup {
			t.Errorf("%s listed twice", f.Href)
		}
		listed[f.Href] = f.metsRef
		if !strings.Contains(m.pointers(), f.ID) {
			t.Errorf("file %s is in no div of the structMap", f.ID)
		}
	}
	for name, data := range files {
		if name == archive.ManifestPath {
			continue
		}
		ref, ok := listed[name]
		if !ok {
			t.Errorf("%s is in the package but not in METS.xml", name)
			continue
		}
		sum := sha256.Sum256(data)
		if ref.ChecksumType != "SHA-256" || ref.Checksum != hex.EncodeToString(sum[:]) || ref.Size != int64(len(data)) || ref.MimeType == "" {
			t.Errorf("%s: METS says %s %s, %d bytes, %q; the file has %x, %d bytes", name, ref.ChecksumType, ref.Checksum, ref.Size, ref.MimeType, sum, len(data))
		}
	}
	for href := range listed {
		if _, ok := files[href]; !ok {
			t.Errorf("METS.xml lists %s, which is not in the package", href)
		}
	}
	for _, p := range []string{archive.CasePath, archive.AnswersPath, archive.ReceiptPath} {
		if _, ok := files[p]; !ok {
			t.Errorf("the package lacks %s", p)
		}
	}
	if !bytes.HasPrefix(files[archive.ReceiptPath], []byte("%PDF-")) {
		t.Errorf("receipt.pdf is no PDF")
	}
	var c archive.CaseXML
	if err := xml.Unmarshal(files[archive.CasePath], &c); err != nil {
		t.Fatalf("case.xml: %v", err)
	}
	if c.Reference != reference || c.Status.Type != "closed" || c.Closed == "" || c.Applicant.PersonalNumber != "19850412-9829" ||
		c.Municipality.Code != "ALI" || len(c.Events) < 2 || c.Events[0].Kind != "submitted" || c.Decision == "" {
		t.Errorf("case.xml: %+v", c)
	}
	caseText := string(files[archive.CasePath])
	for _, w := range wants {
		if !strings.Contains(caseText, w) {
			t.Errorf("case.xml lacks %q", w)
		}
	}
	var a archive.AnswersXML
	if err := xml.Unmarshal(files[archive.AnswersPath], &a); err != nil {
		t.Fatalf("answers.xml: %v", err)
	}
	photoRef := ""
	for _, st := range a.Steps {
		for _, f := range st.Fields {
			if f.Key == "photos" && len(f.Values) == 1 {
				photoRef = f.Values[0].Ref
			}
		}
	}
	if !strings.Contains(string(files[archive.AnswersPath]), "Kungsgatan 12") || photoRef == "" {
		t.Errorf("answers.xml lacks the answers: %s", files[archive.AnswersPath])
	}
	if photo != nil && !bytes.Equal(files[photoRef], photo) {
		t.Errorf("the photo at %q is not the one uploaded", photoRef)
	}
	return files
}

var exportRow = regexp.MustCompile(`href="(/personal/arkiv/[0-9a-f-]{36}/paket)"`)

// A caseworker asks for the archive package of a closed case on the archive page; a job makes it;
// the package holds the whole case, checked as a records system would, and downloading it is an
// audited read that marks the case exported (archive.ExportedAt).
func TestArchivePackage(t *testing.T) {
	p := webtest.Start(t)
	ctx := context.Background()
	karin := loggedIn(t, p, "adult")
	photo := pngImage(t)
	caseID := csSubmitStreetLighting(karin, photo, nil)
	var reference string
	if err := p.Pool.QueryRow(ctx, `SELECT reference FROM cases WHERE id = $1`, caseID).Scan(&reference); err != nil {
		t.Fatal(err)
	}
	anna := staffBrowser(t, p, "caseworker-alingsas")
	base := "/personal/arenden/" + caseID
	for _, step := range []struct{ path, text string }{
		{base + "/meddelande", "Vilken stolpe gäller det?"},
	} {
		if resp, _ := anna.post(step.path, url.Values{"text": {step.text}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", step.path, resp.StatusCode)
		}
	}
	if resp, body := karin.multipart("/arenden/"+caseID+"/meddelanden", url.Values{"body": {"Den vid busshållplatsen."}},
		upload{"files", "stolpe.png", photo}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the citizen's message: %d: %s", resp.StatusCode, errorText(body))
	}

	// An open case cannot be exported: the form says so, with the reference kept.
	resp, body := anna.post("/personal/arkiv", url.Values{"reference": {reference}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("export of an open case: %d", resp.StatusCode)
	}
	assertContains(t, "open case", body, "Ärendet är inte avslutat", `value="`+reference+`"`)
	resp, body = anna.post("/personal/arkiv", url.Values{"reference": {"ALI-1999-999999"}})
	assertContains(t, "unknown case", body, "Det finns inget ärende med det numret")
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown reference: %d", resp.StatusCode)
	}

	if resp, _ := anna.post(base+"/avsluta", url.Values{"text": {"Lyktan är lagad."}, "confirm": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", resp.StatusCode)
	}
	// Asking twice at once (a double click) gives one export: the case's row makes the second ask
	// wait for the first, then find its package still being made. The test holds the row until
	// both asks wait for it, so that the job cannot have made the package before the second looks
	// (its event waits for the case's row too).
	for _, code := range askTwiceAtOnce(t, p, anna.c, caseID, strings.ToLower(reference), reference) {
		if code != http.StatusSeeOther {
			t.Fatalf("export: %d", code)
		}
	}
	var link string
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		page := anna.page("/personal/arkiv")
		if m := exportRow.FindStringSubmatch(page); m != nil {
			link = m[1]
			assertContains(t, "archive page", page, reference, "Felanmälan gatubelysning", "Klart", "Anna Handläggare")
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no package in a minute: %s", page)
		}
	}
	if n := dbInt(t, p, `SELECT count(*) FROM archive_export WHERE case_id = $1`, caseID); n != 1 {
		t.Errorf("%d exports, want 1", n)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM case_event WHERE case_id = $1 AND kind = 'exported' AND actor = 'Anna Handläggare'`, caseID); n != 1 {
		t.Errorf("%d export events, want 1", n)
	}
	assertContains(t, "the citizen's timeline", karin.page("/arenden/"+caseID), "Ärendet exporterades till kommunens arkiv")

	// Not exported until the package is fetched; then it is, once, by whoever fetched it first.
	if _, ok, err := archive.ExportedAt(ctx, p.Pool, uuid.MustParse(caseID)); ok || err != nil {
		t.Errorf("exported before anyone fetched the package: %v %v", ok, err)
	}
	// A caseworker who sees only the cases assigned to them, and an admin who reads no cases.
	others := []*esBrowser{staffBrowser(t, p, "restricted-alingsas"), staffBrowser(t, p, "municipality-admin-alingsas")}
	for _, o := range others {
		if resp, _ := o.get(link); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusForbidden {
			t.Errorf("someone who may not see the case fetches its package: %d", resp.StatusCode)
		}
	}
	resp, pkg := anna.get(link)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "arkiv-"+reference+".zip") {
		t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
	}
	files := checkPackage(t, []byte(pkg), reference, photo, "Lyktan är lagad.", "Vilken stolpe gäller det?", "Den vid busshållplatsen.", "stolpe.png", "Karin Lindqvist")
	attached := false
	for name, data := range files {
		attached = attached || (strings.HasPrefix(name, "representations/rep1/data/messages/") && strings.HasSuffix(name, "stolpe.png") && bytes.Equal(data, photo))
	}
	if !attached {
		t.Errorf("the message's attachment is not in the package")
	}
	at, ok, err := archive.ExportedAt(ctx, p.Pool, uuid.MustParse(caseID))
	if !ok || err != nil || time.Since(at) > time.Hour {
		t.Errorf("not exported after the download: %v %v %v", at, ok, err)
	}
	if n := dbInt(t, p, `SELECT count(*) FROM audit_record WHERE case_id = $1 AND what = 'archive' AND staff_name = 'Anna Handläggare'`, caseID); n != 1 {
		t.Errorf("%d audit records of the download, want 1", n)
	}
	anna.get(link)
	if again, _, _ := archive.ExportedAt(ctx, p.Pool, uuid.MustParse(caseID)); !again.Equal(at) {
		t.Errorf("a second download moved the export time: %s → %s", at, again)
	}
	assertContains(t, "archive page after download", anna.page("/personal/arkiv"), "Hämtat första gången")

	// A file changed since it was uploaded stops the package: it would not hold what was sent.
	if _, err := p.Pool.Exec(ctx, `UPDATE upload SET data = $2 WHERE case_id = $1 AND message_id IS NULL`, caseID, []byte("not the photo")); err != nil {
		t.Fatal(err)
	}
	if _, err := archive.NewBuilder(p.Pool, nil).Build(ctx, uuid.MustParse(caseID), time.Now()); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("a package of a changed file: %v", err)
	}
	// A package that is not made yet cannot be fetched.
	var pending string
	if err := p.Pool.QueryRow(ctx, `INSERT INTO archive_export (tenant_id, case_id, requested_by) SELECT tenant_id, id, 'test' FROM cases WHERE id = $1 RETURNING id::text`,
		caseID).Scan(&pending); err != nil {
		t.Fatal(err)
	}
	if resp, _ := anna.get("/personal/arkiv/" + pending + "/paket"); resp.StatusCode != http.StatusConflict {
		t.Errorf("a package being made: %d", resp.StatusCode)
	}
}

// askTwiceAtOnce posts the archive page's form with each reference at once, while a transaction
// holds the case's row, until both requests wait for it; it returns their status codes.
func askTwiceAtOnce(t *testing.T, p *webtest.Portal, c *http.Client, caseID string, references ...string) []int {
	t.Helper()
	ctx := t.Context()
	tx, err := p.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT FROM cases WHERE id = $1 FOR UPDATE`, caseID); err != nil {
		t.Fatal(err)
	}
	codes := make([]int, len(references))
	errs := make(chan error, len(references))
	for i, ref := range references {
		go func() {
			req, err := http.NewRequest("POST", p.URL+"/personal/arkiv", strings.NewReader(url.Values{"reference": {ref}}.Encode()))
			if err != nil {
				errs <- err
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", p.URL)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			c := *c
			c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, err := c.Do(req)
			if err == nil {
				codes[i] = resp.StatusCode
				resp.Body.Close()
			}
			errs <- err
		}()
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		var waiting int
		if err := p.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == len(references) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of the %d asks wait for the case's row", waiting, len(references))
		}
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	for range references {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	return codes
}
