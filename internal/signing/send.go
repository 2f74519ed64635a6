package signing

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/casework"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/eservice"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/webhook"
)

// SendInput is the applicant's "sign and send for signing".
type SendInput struct {
	DraftID   uuid.UUID
	AccountID uuid.UUID // the applicant, who owns the draft
	Emails    []string  // an address for each co-signer's notice, in the plan's order ("" for none)
	Chosen    int       // of several other signatories, the one who signs: 1, 2, ... in the plan's order
	Origin    string    // scheme://host the applicant is on, where the signature returns
	Direct    bool      // the origin is the installation's host: the SAML exchange begins at once
	Lang      string    // the sign message's language
}

// Next is where the browser goes on to.
type Next struct {
	// Redirect: to the IdP (Binding is then the cookie that binds the exchange to the browser),
	// or to the installation's host, which begins the exchange.
	Redirect string
	Binding  string
	Sent     bool      // sent for signing without a signature of the applicant's
	CaseID   uuid.UUID // submitted: every signature was there
}

// Send prepares the draft for signing: who must sign (the plan, checked with the registers now),
// and the addresses the applicant gave. When the applicant must sign and has not signed the
// content as it is, the applicant's signature starts (Next.Redirect), and the draft is sent when
// it is made (Finish). Otherwise it is sent at once: the co-signers who have not signed are told,
// and with every signature there the case is submitted.
func (s *Store) Send(ctx context.Context, in SendInput) (Next, error) {
	c, err := loadContent(ctx, s.db, in.DraftID)
	if err != nil {
		return Next{}, err
	}
	if c.Draft.AccountID == nil || *c.Draft.AccountID != in.AccountID || c.Draft.CaseID != nil {
		return Next{}, ErrNotFound
	}
	if !c.Rule.Required() {
		return Next{}, ErrNotRequired
	}
	if err := complete(c, s.now()); err != nil {
		return Next{}, err
	}
	applicant, err := accountInfo(ctx, s.db, in.AccountID)
	if err != nil {
		return Next{}, err
	}
	if err := s.cases.PriorCase(ctx, c.EService, c.Answers, casework.Submitter{AccountID: applicant.ID,
		PersonalNumber: applicant.PersonalNumber.String(), Email: applicant.Email}); err != nil {
		return Next{}, err
	}
	cos, err := s.coSigners(ctx, c, applicant.PersonalNumber)
	if err != nil {
		return Next{}, err
	}
	if c.Rule.CoSigners == eservice.CoSignSignatory && len(cos) > 1 {
		// Jointly with one other: the applicant chooses whom.
		if in.Chosen < 1 || in.Chosen > len(cos) {
			return Next{}, apperr.FieldErrors{{Field: "cosigner", Key: "error.signing.choose"}}
		}
		cos = cos[in.Chosen-1 : in.Chosen]
		in.Emails = pick(in.Emails, in.Chosen-1)
	}
	emails, err := cleanEmails(cos, in.Emails)
	if err != nil {
		return Next{}, err
	}
	var next Next
	err = db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM draft WHERE id = $1 FOR UPDATE`, c.Draft.ID); err != nil {
			return err
		}
		var g Signing
		err := tx.QueryRow(ctx, `
			INSERT INTO signing (tenant_id, eservice_id, draft_id, account_id) VALUES ($1, $2, $3, $4)
			ON CONFLICT (draft_id) DO UPDATE SET account_id = EXCLUDED.account_id
			RETURNING `+strings.ReplaceAll(signingColumns, "g.", ""),
			c.Draft.TenantID, c.EService.ID, c.Draft.ID, applicant.ID).Scan(signingDest(&g)...)
		if err != nil {
			return fmt.Errorf("signing: prepare: %w", err)
		}
		if err := syncParties(ctx, tx, g, c, applicant, cos, emails); err != nil {
			return err
		}
		ps, err := parties(ctx, tx, g.ID)
		if err != nil {
			return err
		}
		if c.Rule.Applicant && !ps[0].Valid(c.Hash) {
			msg := s.message(in.Lang, c, ps[0], applicant.Name)
			next, err = s.pending(ctx, tx, ps[0], applicant.ID, c, msg, in.Origin, "/utkast/"+c.Draft.ID.String()+"/signering", in.Direct)
			return err
		}
		next.Sent = true
		next.CaseID, err = s.send(ctx, tx, g, c, ps)
		return err
	})
	return next, err
}

// complete checks that every visible step of the content is complete, as of now.
func complete(c Content, now time.Time) error {
	def := c.Version.Definition
	invalid := def.CheckAll(c.Answers, now)
	for _, st := range def.VisibleSteps(c.Answers) {
		if fe, ok := invalid[st.Key]; ok {
			return &casework.IncompleteError{Step: st.Key, Fields: fe}
		}
	}
	return nil
}

// pick is the one address of the chosen co-signer.
func pick(emails []string, i int) []string {
	if i < len(emails) {
		return []string{emails[i]}
	}
	return nil
}

// cleanEmails checks the addresses given for the co-signers' notices, by personal number; the
// field errors name the inputs email_1, email_2, ... in the co-signers' order.
func cleanEmails(cos []Person, given []string) (map[string]string, error) {
	out := map[string]string{}
	var errs apperr.FieldErrors
	for i, p := range cos {
		if i >= len(given) {
			break
		}
		e := strings.TrimSpace(given[i])
		if e == "" {
			continue
		}
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e || len(e) > 254 {
			errs.Add(fmt.Sprintf("email_%d", i+1), "error.signing.email")
			continue
		}
		out[p.PersonalNumber.String()] = e
	}
	return out, errs.Err()
}

// syncParties makes the signing's parties those of the plan: the applicant first when they sign,
// then the co-signers. A party who no longer must sign goes, with their signatures; those who stay
// keep theirs.
func syncParties(ctx context.Context, tx pgx.Tx, g Signing, c Content, applicant applicantInfo, cos []Person, emails map[string]string) error {
	var want []Person
	if c.Rule.Applicant {
		want = append(want, Person{Role: RoleApplicant, PersonalNumber: applicant.PersonalNumber, Name: applicant.Name})
	}
	want = append(want, cos...)
	keep := make([]string, 0, len(want))
	for _, p := range want {
		keep = append(keep, p.PersonalNumber.String())
	}
	if _, err := tx.Exec(ctx, `DELETE FROM signing_party WHERE signing_id = $1 AND NOT (personal_number = ANY ($2))`, g.ID, keep); err != nil {
		return fmt.Errorf("signing: parties: %w", err)
	}
	for i, p := range want {
		var email any
		if e := emails[p.PersonalNumber.String()]; e != "" {
			email = e
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO signing_party (signing_id, tenant_id, role, position, personal_number, name, email)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (signing_id, personal_number) DO UPDATE SET role = $3, position = $4, name = $6,
				email = coalesce($7, signing_party.email)`,
			g.ID, g.TenantID, p.Role, i, p.PersonalNumber, p.Name, email)
		if err != nil {
			return fmt.Errorf("signing: party: %w", err)
		}
	}
	return nil
}

// send sends the content for signing, in tx: the deadline starts, and every co-signer who has
// not signed it is told (again). With every signature there, the case is submitted and its id
// returned.
func (s *Store) send(ctx context.Context, tx pgx.Tx, g Signing, c Content, ps []Party) (uuid.UUID, error) {
	now := s.now()
	_, err := tx.Exec(ctx, `
		UPDATE signing SET state = 'sent', content_hash = $2, sent_at = $3, deadline_at = $4, returned_at = NULL, returned_why = NULL
		WHERE id = $1`, g.ID, c.Hash, now, now.AddDate(0, 0, c.Rule.DeadlineDays))
	if err != nil {
		return uuid.Nil, fmt.Errorf("signing: send: %w", err)
	}
	g.State, g.ContentHash, g.SentAt = StateSent, c.Hash, &now
	waiting := 0
	for _, p := range ps {
		if p.Role == RoleApplicant || p.Valid(c.Hash) {
			continue
		}
		waiting++
		if _, err := tx.Exec(ctx, `
			UPDATE signing_party SET notified_at = $2, reminded_at = NULL, declined_at = NULL, decline_reason = NULL
			WHERE id = $1`, p.ID, now); err != nil {
			return uuid.Nil, fmt.Errorf("signing: notify party: %w", err)
		}
		if err := s.notifyPerson(ctx, tx, g, uuid.Nil, p.PersonalNumber, p.Email, notify.KindSigningRequested); err != nil {
			return uuid.Nil, err
		}
	}
	if waiting > 0 {
		return uuid.Nil, nil
	}
	return s.submit(ctx, tx, g, c, ps)
}

// submit submits the signed draft as its applicant's case, in tx, and tells the co-signers.
func (s *Store) submit(ctx context.Context, tx pgx.Tx, g Signing, c Content, ps []Party) (uuid.UUID, error) {
	applicant, err := accountInfo(ctx, tx, g.AccountID)
	if err != nil {
		return uuid.Nil, err
	}
	checkAt := s.now()
	if g.SentAt != nil {
		checkAt = *g.SentAt
	}
	who := casework.Submitter{AccountID: applicant.ID, PersonalNumber: applicant.PersonalNumber.String(), Email: applicant.Email,
		Signed: true, CheckAt: checkAt}
	cs, err := s.cases.With(tx).Submit(ctx, c.Draft, c.EService, c.Version, who, s.now())
	if err != nil {
		return uuid.Nil, err
	}
	if _, err := tx.Exec(ctx, `UPDATE signing SET state = 'submitted', case_id = $2 WHERE id = $1`, g.ID, cs.ID); err != nil {
		return uuid.Nil, fmt.Errorf("signing: submitted: %w", err)
	}
	// The case exists only now, with every signature it needs: the webhook's case_signed event
	// says so once, in this transaction, with how many signatures the case was submitted with.
	signed := 0
	for _, p := range ps {
		if p.Valid(c.Hash) {
			signed++
		}
	}
	if err := webhook.Emit(ctx, tx, webhook.Event{Type: webhook.CaseSigned, CaseID: cs.ID, Data: map[string]any{"signatures": signed}}); err != nil {
		return uuid.Nil, err
	}
	for _, p := range ps {
		if p.Role == RoleApplicant {
			continue
		}
		if err := s.notifyPerson(ctx, tx, g, cs.ID, p.PersonalNumber, p.Email, notify.KindSigningSubmitted); err != nil {
			return uuid.Nil, err
		}
	}
	return cs.ID, nil
}

// message is the text the IdP shows the signer: who signs what, in which role, and the start of
// the content's hash.
func (s *Store) message(lang string, c Content, p Party, applicant string) string {
	orgName := ""
	if c.Org != nil {
		orgName = c.Org.Name
	}
	pr := i18n.For(lang)
	return pr.T("signing.message."+p.Role, p.Name, c.EService.Title.In(string(pr.Lang)), c.EService.Municipality,
		HashText(c.Hash), applicant, orgName)
}
