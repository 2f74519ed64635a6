package notify_test

import (
	"errors"
	"regexp"
	"sync"
	"testing"
	"time"

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

// testClock is the notifier's clock in these tests: time passes only when a test says so.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

// start is a Sunday afternoon in Stockholm, 13:00.
var start = time.Date(2026, 11, 22, 13, 0, 0, 0, stockholm)

var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err)
	}
	return loc
}()

// clock gives the notifier a clock that starts at start.
func (e *env) clock() *testClock {
	c := &testClock{now: start}
	e.n.SetClock(c.Now)
	return c
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// at is the clock of hh:mm on the start's day in Stockholm.
func at(hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", start.Format("2006-01-02 ")+hhmm, stockholm)
	if err != nil {
		panic(err)
	}
	return t
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
	clock := e.clock()
	// allowNewCode lets time pass beyond every limit of the codes sent and tried before.
	allowNewCode := func() { clock.Advance(notify.CodeWindow) }
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
		allowNewCode()
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
		allowNewCode()
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
		allowNewCode()
		e.must(e.n.SendCode(ctx, id, notify.ChannelSMS))
		code := e.lastCode("+46701234567")
		clock.Advance(notify.CodeTTL)
		expectErr(t, e.n.Verify(ctx, id, notify.ChannelSMS, code), notify.ErrCodeExpired)
		expectErr(t, e.n.Verify(ctx, id, notify.ChannelSMS, code), notify.ErrNoCode)
	})

	t.Run("a phone number is confirmed, and reset when it changes", func(t *testing.T) {
		allowNewCode()
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

// expectLimit checks that err is the limit want, lifted from retryAt.
func expectLimit(t *testing.T, err, want error, retryAt time.Time) {
	t.Helper()
	var limit *notify.LimitError
	if !errors.As(err, &limit) || !errors.Is(err, want) {
		t.Errorf("got %v, want %v until %s", err, want, retryAt.Format("15:04"))
		return
	}
	if !limit.RetryAt.Equal(retryAt) {
		t.Errorf("%v: may try again at %s, want %s", want, limit.RetryAt.In(stockholm).Format("15:04:05"), retryAt.Format("15:04:05"))
	}
	if apperr.KeyOf(err) != want.(*apperr.Error).Key {
		t.Errorf("%v: key %q", err, apperr.KeyOf(err))
	}
}

// codeTo returns the code in the newest development mailbox message to recipient.
func (e *env) codeTo(recipient string) string {
	e.t.Helper()
	items, err := notify.DevMailbox(e.t.Context(), e.pool, 100)
	e.must(err)
	for _, m := range items {
		if m.Recipient == recipient {
			code := sixDigits.FindString(m.Body)
			if code == "" {
				e.t.Fatalf("no code in %q", m.Body)
			}
			return code
		}
	}
	e.t.Fatalf("no code sent to %s", recipient)
	return ""
}

// sentTo counts the messages the development mailbox got for the recipient.
func (e *env) sentTo(recipient string) int {
	return e.count(`SELECT count(*) FROM dev_mailbox WHERE recipient = $1`, recipient)
}

// The bypass of issue 11: a code spent by five wrong guesses was deleted, and with it the only
// record of the last code sent, so that send, five guesses, send again... gave 50 guesses and 10
// messages in seconds. Now every code sent and every wrong guess counts over the hour, whatever
// became of the code.
func TestCodeLimitsSurviveSpentCodes(t *testing.T) {
	e := newEnv(t, notify.Config{Dev: true})
	clock := e.clock()
	ctx := t.Context()
	const addr = "karin@example.se"
	id := e.account(acct{Email: addr, Channel: "email"})

	// The attack as it was made: ten rounds of send and five wrong guesses, in the same second.
	var sent, guessed int
	for range 10 {
		if err := e.n.SendCode(ctx, id, notify.ChannelEmail); err == nil {
			sent++
		} else {
			expectLimit(t, err, notify.ErrTooSoon, at("13:01"))
		}
		for range notify.CodeMaxAttempts {
			err := e.n.Verify(ctx, id, notify.ChannelEmail, "000000")
			if errors.Is(err, notify.ErrWrongCode) || errors.Is(err, notify.ErrCodeSpent) {
				guessed++
			} else {
				expectErr(t, err, notify.ErrNoCode)
			}
		}
	}
	if sent != 1 || guessed != notify.CodeMaxAttempts || e.sentTo(addr) != 1 {
		t.Fatalf("in one second: %d codes sent (%d messages), %d guesses tried; want 1 code and %d guesses",
			sent, e.sentTo(addr), guessed, notify.CodeMaxAttempts)
	}

	// A minute later a second code may be sent, and tried until the hour's ten wrong guesses are
	// used up: the tenth says until when.
	clock.Advance(time.Minute)
	e.must(e.n.SendCode(ctx, id, notify.ChannelEmail))
	code := e.lastCode(addr)
	for range notify.CodeMaxWrong - notify.CodeMaxAttempts - 1 {
		expectErr(t, e.n.Verify(ctx, id, notify.ChannelEmail, wrongCode(code)), notify.ErrWrongCode)
	}
	expectLimit(t, e.n.Verify(ctx, id, notify.ChannelEmail, wrongCode(code)), notify.ErrTooManyWrong, at("14:00"))
	if n := e.count(`SELECT count(*) FROM contact_code_attempt WHERE account_id = $1 AND kind = 'wrong'`, id); n != notify.CodeMaxWrong {
		t.Errorf("%d wrong guesses recorded, want %d", n, notify.CodeMaxWrong)
	}

	// Until 14:00 nothing more is tried and no new code is sent.
	for _, d := range []time.Duration{time.Minute, 20 * time.Minute, 37 * time.Minute} {
		clock.Advance(d)
		expectLimit(t, e.n.SendCode(ctx, id, notify.ChannelEmail), notify.ErrTooManyWrong, at("14:00"))
		expectLimit(t, e.n.Verify(ctx, id, notify.ChannelEmail, "000000"), notify.ErrTooManyWrong, at("14:00"))
	}
	if e.verified(id, "email") || e.sentTo(addr) != 2 {
		t.Fatalf("before 14:00: verified %v, %d messages; want not verified and 2", e.verified(id, "email"), e.sentTo(addr))
	}

	// From 14:00 the first round has left the window.
	clock.Advance(at("14:00").Sub(clock.Now()))
	e.must(e.n.SendCode(ctx, id, notify.ChannelEmail))
	e.must(e.n.Verify(ctx, id, notify.ChannelEmail, e.lastCode(addr)))
	if !e.verified(id, "email") {
		t.Fatal("not verified at 14:00")
	}
}

// At most CodeMaxSent codes an hour, each a minute after the last, even when none is tried.
func TestCodeSendLimit(t *testing.T) {
	e := newEnv(t, notify.Config{Dev: true})
	clock := e.clock()
	ctx := t.Context()
	id := e.account(acct{Email: "karin@example.se"})
	for i := range notify.CodeMaxSent {
		e.must(e.n.SendCode(ctx, id, notify.ChannelEmail))
		clock.Advance(30 * time.Second)
		if i < notify.CodeMaxSent-1 {
			expectLimit(t, e.n.SendCode(ctx, id, notify.ChannelEmail), notify.ErrTooSoon, at("13:01").Add(time.Duration(i)*2*time.Minute))
		} else { // the longer limit is the one to tell
			expectLimit(t, e.n.SendCode(ctx, id, notify.ChannelEmail), notify.ErrTooManyCodes, at("14:00"))
		}
		clock.Advance(90 * time.Second)
	}
	// 13:10: five codes were sent, the first at 13:00.
	expectLimit(t, e.n.SendCode(ctx, id, notify.ChannelEmail), notify.ErrTooManyCodes, at("14:00"))
	clock.Advance(at("14:00").Sub(clock.Now()))
	e.must(e.n.SendCode(ctx, id, notify.ChannelEmail))
	// 14:00: the codes of 13:02 to 14:00 are five again; the next leaves at 14:02.
	clock.Advance(time.Minute)
	expectLimit(t, e.n.SendCode(ctx, id, notify.ChannelEmail), notify.ErrTooManyCodes, at("14:02"))
	if got := e.sentTo("karin@example.se"); got != notify.CodeMaxSent+1 {
		t.Errorf("%d messages, want %d", got, notify.CodeMaxSent+1)
	}
}

// The limits count per address or number too, across accounts and regardless of case: many
// accounts cannot flood one address, nor share out the guesses.
func TestCodeLimitsPerAddress(t *testing.T) {
	e := newEnv(t, notify.Config{Dev: true})
	clock := e.clock()
	ctx := t.Context()
	addrs := []string{"offer@example.se", "Offer@example.se", "OFFER@EXAMPLE.SE", "offer@Example.se", "offer@example.SE", "oFFer@example.se"}
	var ids []uuid.UUID
	for _, a := range addrs {
		ids = append(ids, e.account(acct{Email: a}))
	}
	e.must(e.n.SendCode(ctx, ids[0], notify.ChannelEmail))
	expectLimit(t, e.n.SendCode(ctx, ids[1], notify.ChannelEmail), notify.ErrTooSoon, at("13:01"))
	for _, id := range ids[1:notify.CodeMaxSent] {
		clock.Advance(time.Minute)
		e.must(e.n.SendCode(ctx, id, notify.ChannelEmail))
	}
	clock.Advance(time.Minute)
	expectLimit(t, e.n.SendCode(ctx, ids[notify.CodeMaxSent], notify.ChannelEmail), notify.ErrTooManyCodes, at("14:00"))

	// Ten wrong guesses over two accounts' codes stop the guesses of a third.
	for _, id := range ids[:2] {
		for range notify.CodeMaxAttempts {
			err := e.n.Verify(ctx, id, notify.ChannelEmail, "000000")
			if !errors.Is(err, notify.ErrWrongCode) && !errors.Is(err, notify.ErrCodeSpent) && !errors.Is(err, notify.ErrTooManyWrong) {
				t.Fatalf("guess: %v", err)
			}
		}
	}
	expectLimit(t, e.n.Verify(ctx, ids[2], notify.ChannelEmail, "000000"), notify.ErrTooManyWrong, at("14:05"))
	// Not even the right code is tried.
	expectLimit(t, e.n.Verify(ctx, ids[2], notify.ChannelEmail, e.codeTo(addrs[2])), notify.ErrTooManyWrong, at("14:05"))
	if e.verified(ids[2], "email") {
		t.Error("verified beyond the limit")
	}
	if n := e.count(`SELECT count(*) FROM contact_code_attempt WHERE kind = 'wrong'`); n != notify.CodeMaxWrong {
		t.Errorf("%d wrong guesses recorded, want %d", n, notify.CodeMaxWrong)
	}
}

// Requests at once cannot both pass a limit: the account's row, and the address, are locked
// while the attempts are counted and recorded.
func TestCodeLimitsUnderConcurrency(t *testing.T) {
	e := newEnv(t, notify.Config{Dev: true})
	clock := e.clock()
	ctx := t.Context()
	const n = 8
	race := func(f func(i int) error) []error {
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { errs[i] = f(i) })
		}
		wg.Wait()
		return errs
	}
	passed := func(errs []error) int {
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if !errors.Is(err, notify.ErrTooSoon) {
				t.Errorf("unexpected error: %v", err)
			}
		}
		return ok
	}

	t.Run("one account", func(t *testing.T) {
		id := e.account(acct{Email: "ett@example.se"})
		if ok := passed(race(func(int) error { return e.n.SendCode(ctx, id, notify.ChannelEmail) })); ok != 1 || e.sentTo("ett@example.se") != 1 {
			t.Errorf("%d of %d sends at once passed, %d messages; want 1", ok, n, e.sentTo("ett@example.se"))
		}
	})

	t.Run("one address", func(t *testing.T) {
		ids := make([]uuid.UUID, n)
		for i := range ids {
			ids[i] = e.account(acct{Email: "samma@example.se"})
		}
		if ok := passed(race(func(i int) error { return e.n.SendCode(ctx, ids[i], notify.ChannelEmail) })); ok != 1 || e.sentTo("samma@example.se") != 1 {
			t.Errorf("%d of %d sends at once passed, %d messages; want 1", ok, n, e.sentTo("samma@example.se"))
		}
	})

	t.Run("the last wrong guesses", func(t *testing.T) {
		clock.Advance(notify.CodeWindow)
		id := e.account(acct{Email: "gissa@example.se", Phone: "+46701112233"})
		// Nine wrong guesses: five spend an e-mail code, four go to an SMS code.
		e.must(e.n.SendCode(ctx, id, notify.ChannelEmail))
		wrong := wrongCode(e.lastCode("gissa@example.se"))
		for range notify.CodeMaxAttempts - 1 {
			expectErr(t, e.n.Verify(ctx, id, notify.ChannelEmail, wrong), notify.ErrWrongCode)
		}
		expectErr(t, e.n.Verify(ctx, id, notify.ChannelEmail, wrong), notify.ErrCodeSpent) // the last try spends the code
		e.must(e.n.SendCode(ctx, id, notify.ChannelSMS))
		for range notify.CodeMaxAttempts - 1 {
			expectErr(t, e.n.Verify(ctx, id, notify.ChannelSMS, "000000"), notify.ErrWrongCode)
		}
		clock.Advance(time.Minute)
		e.must(e.n.SendCode(ctx, id, notify.ChannelEmail))
		// One guess is left; eight go at once on both codes.
		errs := race(func(i int) error {
			return e.n.Verify(ctx, id, []string{notify.ChannelEmail, notify.ChannelSMS}[i%2], "000000")
		})
		for _, err := range errs {
			if !errors.Is(err, notify.ErrTooManyWrong) {
				t.Errorf("a guess at the limit: %v", err)
			}
		}
		if got := e.count(`SELECT count(*) FROM contact_code_attempt WHERE account_id = $1 AND kind = 'wrong'`, id); got != notify.CodeMaxWrong {
			t.Errorf("%d wrong guesses recorded, want %d", got, notify.CodeMaxWrong)
		}
	})
}

// The record of attempts is append-only and purged after a day.
func TestCodeAttemptsPurged(t *testing.T) {
	e := newEnv(t, notify.Config{Dev: true})
	clock := e.clock()
	ctx := t.Context()
	id := e.account(acct{Email: "karin@example.se"})
	e.must(e.n.SendCode(ctx, id, notify.ChannelEmail))
	expectErr(t, e.n.Verify(ctx, id, notify.ChannelEmail, wrongCode(e.lastCode("karin@example.se"))), notify.ErrWrongCode)
	if _, err := e.pool.Exec(ctx, `UPDATE contact_code_attempt SET at = at - interval '1 day'`); err == nil {
		t.Error("an attempt was changed")
	}
	clock.Advance(notify.CodeAttemptsKept - time.Second)
	e.must(e.n.PurgeCodeAttempts(ctx))
	if got := e.count(`SELECT count(*) FROM contact_code_attempt`); got != 2 {
		t.Fatalf("%d attempts left before a day has passed, want 2", got)
	}
	clock.Advance(2 * time.Second)
	e.must(e.n.PurgeCodeAttempts(ctx))
	if got := e.count(`SELECT count(*) FROM contact_code_attempt`); got != 0 {
		t.Fatalf("%d attempts left after a day, want 0", got)
	}
}
