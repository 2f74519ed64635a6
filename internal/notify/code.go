package notify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/db"
)

// Rules of one-time codes.
const (
	CodeTTL         = 15 * time.Minute
	CodeMaxAttempts = 5 // wrong tries before the code is spent

	// Limits that count every code sent and every wrong code typed (table contact_code_attempt),
	// per account and per address or number, whatever became of the codes themselves: spending
	// or replacing a code resets none of them.
	CodeInterval = time.Minute // at most one code a minute, per account and channel and per address
	CodeWindow   = time.Hour   // the window of the two limits below
	CodeMaxSent  = 5           // codes sent in CodeWindow, per account and per address
	CodeMaxWrong = 10          // wrong codes typed in CodeWindow, per account and per address

	// CodeAttemptsKept is how long the record of attempts is kept (PurgeCodeAttempts): well
	// beyond the longest window.
	CodeAttemptsKept = 24 * time.Hour
)

// Errors of confirming contact data; each key has a text in the message catalogue.
var (
	ErrChannel         = apperr.New(apperr.Invalid, "error.verify.channel")
	ErrNoContact       = apperr.New(apperr.Invalid, "error.verify.nocontact")
	ErrAlreadyVerified = apperr.New(apperr.Conflict, "error.verify.verified")
	ErrSMSUnavailable  = apperr.New(apperr.Conflict, "error.verify.smsoff")
	ErrSendCode        = apperr.New(apperr.Unavailable, "error.verify.send")
	ErrNoCode          = apperr.New(apperr.Invalid, "error.verify.nocode")
	ErrWrongCode       = apperr.New(apperr.Invalid, "error.verify.wrong")
	ErrCodeSpent       = apperr.New(apperr.Invalid, "error.verify.spent")
	ErrCodeExpired     = apperr.New(apperr.Invalid, "error.verify.expired")
	ErrContactChanged  = apperr.New(apperr.Conflict, "error.verify.changed")

	// The limits. They come wrapped in a *LimitError, whose message key takes the time from
	// which the citizen may try again (the profile page answers them with 429 itself).
	ErrTooSoon      = apperr.New(apperr.Conflict, "error.verify.wait")       // a code was sent less than a minute ago
	ErrTooManyCodes = apperr.New(apperr.Conflict, "error.verify.sentlimit")  // CodeMaxSent codes in the window
	ErrTooManyWrong = apperr.New(apperr.Conflict, "error.verify.wronglimit") // CodeMaxWrong wrong codes in the window
)

// LimitError refuses a code or a guess because a limit is reached. errors.Is matches it with
// ErrTooSoon, ErrTooManyCodes or ErrTooManyWrong, and errors.As finds that *apperr.Error.
type LimitError struct {
	Err     *apperr.Error // which limit; its message key takes RetryAt as the time of day, e.g. 14:05
	RetryAt time.Time     // the whole minute from which the limit lets the citizen try again
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%v until %s", e.Err, e.RetryAt.UTC().Format(time.RFC3339))
}

func (e *LimitError) Unwrap() error { return e.Err }

// contactColumns are the account's address column and its confirmation column, by channel.
var contactColumns = map[string][2]string{
	ChannelEmail: {"email", "email_verified_at"},
	ChannelSMS:   {"phone", "phone_verified_at"},
}

// Kinds of attempt in contact_code_attempt.
const (
	attemptSent  = "sent"
	attemptWrong = "wrong"
)

// A limit allows at most max attempts of a kind within window, counted per scope.
type limit struct {
	err    *apperr.Error
	kind   string
	scope  scope
	max    int
	window time.Duration
}

type scope int

const (
	perAccount scope = iota
	perAccountChannel
	perDestination
)

var (
	accountWrongLimit = limit{ErrTooManyWrong, attemptWrong, perAccount, CodeMaxWrong, CodeWindow}
	wrongLimits       = []limit{
		accountWrongLimit,
		{ErrTooManyWrong, attemptWrong, perDestination, CodeMaxWrong, CodeWindow},
	}
	// A new code is refused while guesses are: it could not be tried anyway.
	sendLimits = append([]limit{
		{ErrTooSoon, attemptSent, perAccountChannel, 1, CodeInterval},
		{ErrTooSoon, attemptSent, perDestination, 1, CodeInterval},
		{ErrTooManyCodes, attemptSent, perAccount, CodeMaxSent, CodeWindow},
		{ErrTooManyCodes, attemptSent, perDestination, CodeMaxSent, CodeWindow},
	}, wrongLimits...)
)

// SetClock replaces the clock that codes and their limits are timed by (time.Now by default),
// for tests that let time pass. Every time of a code is taken from it, never from the database.
func (n *Notifier) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	n.clock.Store(&now)
}

func (n *Notifier) now() time.Time {
	if f := n.clock.Load(); f != nil {
		return (*f)()
	}
	return time.Now()
}

// SendCode sends a new six-digit code to the account's current e-mail address or phone number
// (channel "email" or "sms"), replacing any earlier one, unless a limit refuses it with a
// *LimitError. It is sent at once, not queued: no business transaction waits for it, and the
// citizen is waiting for it.
//
// The code is sent inside the transaction that checks the limits and records the sending, with
// the account's row locked: two requests at once cannot both pass a limit, and a code that could
// not be sent is neither kept nor counted, so that the citizen may ask again at once.
func (n *Notifier) SendCode(ctx context.Context, accountID uuid.UUID, channel string) error {
	cols, ok := contactColumns[channel]
	if !ok {
		return ErrChannel
	}
	if channel == ChannelSMS && n.sms == nil {
		return ErrSMSUnavailable
	}
	var outcome error // the answer to the citizen when nothing was sent
	err := db.Transact(ctx, n.pool, func(tx pgx.Tx) error {
		outcome = nil
		var dest, lang string
		var verified bool
		err := tx.QueryRow(ctx, `SELECT coalesce(`+cols[0]+`, ''), `+cols[1]+` IS NOT NULL, language FROM account WHERE id = $1 FOR NO KEY UPDATE`,
			accountID).Scan(&dest, &verified, &lang)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			outcome = apperr.New(apperr.NotFound, "")
			return nil
		case err != nil:
			return err
		case dest == "":
			outcome = ErrNoContact
			return nil
		case verified:
			outcome = ErrAlreadyVerified
			return nil
		}
		destHash := destinationHash(channel, dest)
		now := n.now()
		if limited, err := checkLimits(ctx, tx, now, accountID, channel, destHash, sendLimits); err != nil || limited != nil {
			if limited != nil {
				outcome = limited
			}
			return err
		}

		code, err := newCode()
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO contact_code (account_id, channel, destination, code_hash, expires_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (account_id, channel) DO UPDATE SET destination = EXCLUDED.destination,
				code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at, attempts = 0, created_at = EXCLUDED.created_at`,
			accountID, channel, dest, codeHash(accountID, channel, code), now.Add(CodeTTL), now)
		if err != nil {
			return err
		}
		if err := recordAttempt(ctx, tx, now, accountID, channel, destHash, attemptSent); err != nil {
			return err
		}

		msg := renderCode(channel, lang, code)
		if channel == ChannelEmail {
			err = n.email.SendEmail(ctx, dest, msg.Subject, msg.Body)
		} else {
			err = n.sms.SendSMS(ctx, dest, msg.SMS)
		}
		if err != nil {
			// Not sent: the rollback forgets the code and the attempt.
			return apperr.Wrap(ErrSendCode.Kind, ErrSendCode.Key, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("notify: send code: %w", err)
	}
	if outcome != nil {
		return outcome
	}
	n.log.InfoContext(ctx, "contact code sent", "account_id", accountID, "channel", channel)
	return nil
}

// Verify checks a code the citizen typed. The right code confirms the address or number it was
// sent to, if that is still the account's current one. Each wrong code counts, against the code
// (the fifth spends it) and against the limits of the account and of the address, which refuse
// any further code, right or wrong, with a *LimitError until the window has passed.
func (n *Notifier) Verify(ctx context.Context, accountID uuid.UUID, channel, code string) error {
	cols, ok := contactColumns[channel]
	if !ok {
		return ErrChannel
	}
	code = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
	given := codeHash(accountID, channel, code)

	var outcome error // the answer to the citizen; the transaction commits either way
	err := db.Transact(ctx, n.pool, func(tx pgx.Tx) error {
		outcome = nil
		// The account's row is the lock that SendCode takes too: the attempts of one account are
		// counted one request at a time.
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM account WHERE id = $1 FOR NO KEY UPDATE`, accountID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			outcome = ErrNoCode
			return nil
		}
		if err != nil {
			return err
		}
		var dest string
		var stored []byte
		var expiresAt time.Time
		var attempts int
		now := n.now()
		err = tx.QueryRow(ctx, `
			SELECT destination, code_hash, expires_at, attempts FROM contact_code
			WHERE account_id = $1 AND channel = $2 FOR UPDATE`, accountID, channel).Scan(&dest, &stored, &expiresAt, &attempts)
		if errors.Is(err, pgx.ErrNoRows) {
			// No code to try. When the account's guesses are used up, say until when.
			outcome = ErrNoCode
			limited, err := checkLimits(ctx, tx, now, accountID, channel, nil, []limit{accountWrongLimit})
			if limited != nil {
				outcome = limited
			}
			return err
		}
		if err != nil {
			return err
		}
		spend := func(result error) error {
			outcome = result
			_, err := tx.Exec(ctx, `DELETE FROM contact_code WHERE account_id = $1 AND channel = $2`, accountID, channel)
			return err
		}
		if !expiresAt.After(now) {
			return spend(ErrCodeExpired)
		}
		if attempts >= CodeMaxAttempts {
			return spend(ErrCodeSpent)
		}
		destHash := destinationHash(channel, dest)
		if limited, err := checkLimits(ctx, tx, now, accountID, channel, destHash, wrongLimits); err != nil || limited != nil {
			if limited != nil {
				outcome = limited
			}
			return err
		}

		if subtle.ConstantTimeCompare(given, stored) != 1 {
			if err := recordAttempt(ctx, tx, now, accountID, channel, destHash, attemptWrong); err != nil {
				return err
			}
			if attempts+1 >= CodeMaxAttempts {
				if err := spend(ErrCodeSpent); err != nil {
					return err
				}
			} else {
				outcome = ErrWrongCode
				if _, err := tx.Exec(ctx, `UPDATE contact_code SET attempts = attempts + 1 WHERE account_id = $1 AND channel = $2`, accountID, channel); err != nil {
					return err
				}
			}
			// Say at once when this guess used up the last one allowed.
			limited, err := checkLimits(ctx, tx, now, accountID, channel, destHash, wrongLimits)
			if limited != nil {
				outcome = limited
			}
			return err
		}

		if err := spend(nil); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE account SET `+cols[1]+` = $3 WHERE id = $1 AND `+cols[0]+` = $2`, accountID, dest, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			outcome = ErrContactChanged
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("notify: verify code: %w", err)
	}
	if outcome == nil {
		n.log.InfoContext(ctx, "contact confirmed", "account_id", accountID, "channel", channel)
	}
	return outcome
}

// checkLimits returns a *LimitError when any of the limits is reached: the one that lasts
// longest. The caller holds the lock on the account's row; when a limit counts per address or
// number, this locks that too (after the account, always in that order), so that the attempts
// of several accounts on one address are counted one at a time as well.
func checkLimits(ctx context.Context, tx pgx.Tx, now time.Time, accountID uuid.UUID, channel string, destHash []byte, limits []limit) (*LimitError, error) {
	if slices.ContainsFunc(limits, func(l limit) bool { return l.scope == perDestination }) {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(binary.BigEndian.Uint64(destHash))); err != nil {
			return nil, err
		}
	}
	// For each limit, the oldest of the newest max attempts in its window, if there are max.
	var args []any
	param := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	cols := make([]string, len(limits))
	for i, l := range limits {
		var where string
		switch l.scope {
		case perAccount:
			where = "account_id = " + param(accountID)
		case perAccountChannel:
			where = "account_id = " + param(accountID) + " AND channel = " + param(channel)
		case perDestination:
			where = "destination_hash = " + param(destHash)
		}
		cols[i] = fmt.Sprintf(`(SELECT at FROM contact_code_attempt WHERE %s AND kind = %s AND at > %s
			ORDER BY at DESC OFFSET %s LIMIT 1)`, where, param(l.kind), param(now.Add(-l.window)), param(l.max-1))
	}
	found := make([]*time.Time, len(limits))
	dest := make([]any, len(limits))
	for i := range found {
		dest[i] = &found[i]
	}
	if err := tx.QueryRow(ctx, `SELECT `+strings.Join(cols, ", "), args...).Scan(dest...); err != nil {
		return nil, err
	}
	var refused *LimitError
	for i, at := range found {
		if at == nil {
			continue
		}
		if open := ceilMinute(at.Add(limits[i].window)); refused == nil || open.After(refused.RetryAt) {
			refused = &LimitError{Err: limits[i].err, RetryAt: open}
		}
	}
	return refused, nil
}

// recordAttempt adds a code sent or a wrong code typed to the record that the limits count.
func recordAttempt(ctx context.Context, tx pgx.Tx, now time.Time, accountID uuid.UUID, channel string, destHash []byte, kind string) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO contact_code_attempt (account_id, channel, destination_hash, kind, at) VALUES ($1, $2, $3, $4, $5)`,
		accountID, channel, destHash, kind, now)
	return err
}

// PurgeCodeAttempts deletes the record of attempts older than CodeAttemptsKept, which no limit
// looks back to. The housekeeping calls it.
func (n *Notifier) PurgeCodeAttempts(ctx context.Context) error {
	_, err := n.pool.Exec(ctx, `DELETE FROM contact_code_attempt WHERE at < $1`, n.now().Add(-CodeAttemptsKept))
	if err != nil {
		return fmt.Errorf("notify: purge code attempts: %w", err)
	}
	return nil
}

// destinationHash identifies an address or number in the record of attempts without storing
// it. An e-mail address is compared without regard to case, as mail servers deliver it.
func destinationHash(channel, dest string) []byte {
	dest = strings.TrimSpace(dest)
	if channel == ChannelEmail {
		dest = strings.ToLower(dest)
	}
	sum := sha256.Sum256([]byte("minasidor contact destination\x00" + channel + "\x00" + dest))
	return sum[:]
}

// ceilMinute rounds t up to a whole minute, the precision the citizen is told the time in.
func ceilMinute(t time.Time) time.Time {
	if m := t.Truncate(time.Minute); !m.Equal(t) {
		return m.Add(time.Minute)
	}
	return t
}

// newCode returns six random digits.
func newCode() (string, error) {
	v, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("notify: random code: %w", err)
	}
	return fmt.Sprintf("%06d", v.Int64()), nil
}

// codeHash binds a code to its account and channel. Six digits are few, so the hash protects a
// code only in passing; the expiry and the attempt limit are what protect it.
func codeHash(accountID uuid.UUID, channel, code string) []byte {
	h := sha256.New()
	h.Write(accountID[:])
	h.Write([]byte{0})
	h.Write([]byte(channel))
	h.Write([]byte{0})
	h.Write([]byte(code))
	return h.Sum(nil)
}
