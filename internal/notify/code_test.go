package notify_test

import (
	"errors"
	"regexp"
	"testing"

	"github.com/google/uuid"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/notify"
)

var sixDigits = regexp.MustCompile(`\b[0-9]{6}\b`)

// lastCode returns the code in the newest development mailbox message, to recipient.
func (e *env) lastCode(recipient string) string {
	e.t.Helper()
	items, err := notify.DevMailbox(e.t.Context(), e.pool, 1)
	e.must(err)
	if len(items) == 0 || items[0].Recipient != recipient {
		e.t.Fatalf("no code sent to %s: %+v", recipient, items)
	}
	code := sixDigits.FindString(items[0].Body)
	if code == "" {
		e.t.Fatalf("no code in %q", items[0].Body)
	}
	return code
}

// allowNewCode moves the last code's time back past the rate limit.
func (e *env) allowNewCode(id uuid.UUID) {
	_, err := e.pool.Exec(e.t.Context(), `UPDATE contact_code SET created_at = now() - interval '2 minutes' WHERE account_id = $1`, id)
	e.must(err)
}

func (e *env) verified(id uuid.UUID, channel string) bool {
	col := map[string]string{"email": "email_verified_at", "sms": "phone_verified_at"}[channel]
	return e.count(`SELECT count(*) FROM account WHERE id = $1 AND `+col+` IS NOT NULL`, id) == 1
}

func wrongCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

func expectErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("got %v, want %v", err, want)
	}
}

func TestContactCodes(t *testing.T) {
	e := newEnv(t, notify.Config{Dev: true})
	ctx := t.Context()
	id := e.account(acct{Email: "karin@example.se", Phone: "+46701234567", Channel: "email"})

	t.Run("send, wrong code, right code", func(t *testing.T) {
		e.must(e.n.SendCode(ctx, id, notify.ChannelEmail))
		code := e.lastCode("karin@example.se")
		expectErr(t, e.n.SendCode(ctx, id, notify.ChannelEmail), notify.ErrTooSoon)
		expectErr(t, e.n.Verify(ctx, id, notify.ChannelEmail, wrongCode(code)), notify.ErrWrongCode)
		if e.verified(id, "email") {
			t.Fatal("verified by a wrong code")
		}
		if err := e.n.Verify(ctx, id, notify.ChannelEmail, code[:3]+" "+code[3:]); err != nil {
			t.Fatalf("right code: %v", err)
		}
		if !e.verified(id, "email") {
			t.Fatal("not verified by the right code")
		}
		expectErr(t, e.n.Verify(ctx, id, notify.ChannelEmail, code), notify.ErrNoCode) // used up
		expectErr(t, e.n.SendCode(ctx, id, notify.ChannelEmail), notify.ErrAlreadyVerified)
	})

	t.Run("changing the e-mail address resets it", func(t *testing.T) {
		_, err := e.pool.Exec(ctx, `UPDATE account SET email = 'karin.ny@example.se' WHERE id = $1`, id)
		e.must(err)
		if e.verified(id, "email") {
			t.Fatal("a new address is verified")
		}
		// An update that keeps the address keeps the confirmation.
		e.allowNewCode(id)
		e.must(e.n.SendCode(ctx, id, notify.ChannelEmail))
		e.must(e.n.Verify(ctx, id, notify.ChannelEmail, e.lastCode("karin.ny@example.se")))
		_, err = e.pool.Exec(ctx, `UPDATE account SET preferred_channel = 'email', email = 'karin.ny@example.se' WHERE id = $1`, id)
		e.must(err)
		if !e.verified(id, "email") {
			t.Fatal("an unchanged address lost its confirmation")
		}
	})

	t.Run("a code for an address changed since is refused", func(t *testing.T) {
		_, err := e.pool.Exec(ctx, `UPDATE account SET email = 'karin3@example.se' WHERE id = $1`, id)
		e.must(err)
		e.allowNewCode(id)
		e.must(e.n.SendCode(ctx, id, notify.ChannelEmail))
		code := e.lastCode("karin3@example.se")
		_, err = e.pool.Exec(ctx, `UPDATE account SET email = 'karin4@example.se' WHERE id = $1`, id)
		e.must(err)
		expectErr(t, e.n.Verify(ctx, id, notify.ChannelEmail, code), notify.ErrContactChanged)
		if e.verified(id, "email") {
			t.Fatal("verified an address the code was not sent to")
		}
	})

	t.Run("too many attempts spend the code", func(t *testing.T) {
		e.must(e.n.SendCode(ctx, id, notify.ChannelSMS))
		code := e.lastCode("+46701234567")
		for i := 1; i < notify.CodeMaxAttempts; i++ {
			expectErr(t, e.n.Verify(ctx, id, notify.ChannelSMS, wrongCode(code)), notify.ErrWrongCode)
		}
		expectErr(t, e.n.Verify(ctx, id, notify.ChannelSMS, wrongCode(code)), notify.ErrCodeSpent)
		expectErr(t, e.n.Verify(ctx, id, notify.ChannelSMS, code), notify.ErrNoCode)
		if e.verified(id, "sms") {
			t.Fatal("verified by a spent code")
		}
	})

	t.Run("an expired code is refused", func(t *testing.T) {
		e.allowNewCode(id)
		e.must(e.n.SendCode(ctx, id, notify.ChannelSMS))
		code := e.lastCode("+46701234567")
		_, err := e.pool.Exec(ctx, `UPDATE contact_code SET expires_at = now() - interval '1 second' WHERE account_id = $1`, id)
		e.must(err)
		expectErr(t, e.n.Verify(ctx, id, notify.ChannelSMS, code), notify.ErrCodeExpired)
		expectErr(t, e.n.Verify(ctx, id, notify.ChannelSMS, code), notify.ErrNoCode)
	})

	t.Run("a phone number is confirmed, and reset when it changes", func(t *testing.T) {
		e.allowNewCode(id)
		e.must(e.n.SendCode(ctx, id, notify.ChannelSMS))
		e.must(e.n.Verify(ctx, id, notify.ChannelSMS, e.lastCode("+46701234567")))
		if !e.verified(id, "sms") {
			t.Fatal("phone not verified")
		}
		_, err := e.pool.Exec(ctx, `UPDATE account SET phone = '+46700000000' WHERE id = $1`, id)
		e.must(err)
		if e.verified(id, "sms") {
			t.Fatal("a new number is verified")
		}
	})

	t.Run("errors", func(t *testing.T) {
		none := e.account(acct{})
		expectErr(t, e.n.SendCode(ctx, none, notify.ChannelEmail), notify.ErrNoContact)
		expectErr(t, e.n.SendCode(ctx, none, "fax"), notify.ErrChannel)
		expectErr(t, e.n.Verify(ctx, none, notify.ChannelEmail, "123456"), notify.ErrNoCode)
		if err := e.n.SendCode(ctx, uuid.New(), notify.ChannelEmail); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("unknown account: %v", err)
		}
	})
}

// A code that could not be sent is forgotten, so that the citizen may ask again at once.
func TestSendCodeFailure(t *testing.T) {
	srv := startSMTP(t)
	srv.rejectNext(1)
	e := newEnv(t, notify.Config{SMTP: srv.config()})
	id := e.account(acct{Email: "karin@example.se"})
	err := e.n.SendCode(t.Context(), id, notify.ChannelEmail)
	if apperr.KeyOf(err) != "error.verify.send" {
		t.Fatalf("got %v, want error.verify.send", err)
	}
	e.must(e.n.SendCode(t.Context(), id, notify.ChannelEmail))
	p := parseMail(t, srv.next(t))
	if p.Subject != "Din kod till Mina sidor" || !sixDigits.MatchString(p.Body) {
		t.Errorf("code e-mail %q: %s", p.Subject, p.Body)
	}
	expectErr(t, e.n.SendCode(t.Context(), id, notify.ChannelSMS), notify.ErrSMSUnavailable)
}
