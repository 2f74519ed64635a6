package notify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"math/big"
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
	CodeInterval    = time.Minute // at most one new code a minute per account and channel
	CodeMaxAttempts = 5           // wrong tries before the code is spent
)

// Errors of confirming contact data; each key has a text in the message catalogue.
var (
	ErrChannel         = apperr.New(apperr.Invalid, "error.verify.channel")
	ErrNoContact       = apperr.New(apperr.Invalid, "error.verify.nocontact")
	ErrAlreadyVerified = apperr.New(apperr.Conflict, "error.verify.verified")
	ErrSMSUnavailable  = apperr.New(apperr.Conflict, "error.verify.smsoff")
	ErrTooSoon         = apperr.New(apperr.Conflict, "error.verify.wait")
	ErrSendCode        = apperr.New(apperr.Internal, "error.verify.send")
	ErrNoCode          = apperr.New(apperr.Invalid, "error.verify.nocode")
	ErrWrongCode       = apperr.New(apperr.Invalid, "error.verify.wrong")
	ErrCodeSpent       = apperr.New(apperr.Invalid, "error.verify.spent")
	ErrCodeExpired     = apperr.New(apperr.Invalid, "error.verify.expired")
	ErrContactChanged  = apperr.New(apperr.Conflict, "error.verify.changed")
)

// contactColumns are the account's address column and its confirmation column, by channel.
var contactColumns = map[string][2]string{
	ChannelEmail: {"email", "email_verified_at"},
	ChannelSMS:   {"phone", "phone_verified_at"},
}

// SendCode sends a new six-digit code to the account's current e-mail address or phone number
// (channel "email" or "sms"), replacing any earlier one. It is sent at once, not queued: no
// business transaction waits for it, and the citizen is waiting for it.
func (n *Notifier) SendCode(ctx context.Context, accountID uuid.UUID, channel string) error {
	cols, ok := contactColumns[channel]
	if !ok {
		return ErrChannel
	}
	if channel == ChannelSMS && n.sms == nil {
		return ErrSMSUnavailable
	}
	var dest, lang string
	var verified bool
	err := n.pool.QueryRow(ctx, `SELECT coalesce(`+cols[0]+`, ''), `+cols[1]+` IS NOT NULL, language FROM account WHERE id = $1`,
		accountID).Scan(&dest, &verified, &lang)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return apperr.New(apperr.NotFound, "")
	case err != nil:
		return fmt.Errorf("notify: send code: %w", err)
	case dest == "":
		return ErrNoContact
	case verified:
		return ErrAlreadyVerified
	}

	code, err := newCode()
	if err != nil {
		return err
	}
	hash := codeHash(accountID, channel, code)
	// One statement decides the rate limit, so two requests at once cannot both pass.
	tag, err := n.pool.Exec(ctx, `
		INSERT INTO contact_code AS cc (account_id, channel, destination, code_hash, expires_at)
		VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
		ON CONFLICT (account_id, channel) DO UPDATE SET destination = EXCLUDED.destination,
			code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at, attempts = 0, created_at = now()
		WHERE cc.created_at <= now() - make_interval(secs => $6)`,
		accountID, channel, dest, hash, CodeTTL.Seconds(), CodeInterval.Seconds())
	if err != nil {
		return fmt.Errorf("notify: store code: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrTooSoon
	}

	msg := renderCode(channel, lang, code)
	if channel == ChannelEmail {
		err = n.email.SendEmail(ctx, dest, msg.Subject, msg.Body)
	} else {
		err = n.sms.SendSMS(ctx, dest, msg.SMS)
	}
	if err != nil {
		// Not sent: forget it, so that the citizen may ask again at once.
		_, _ = n.pool.Exec(context.WithoutCancel(ctx), `DELETE FROM contact_code WHERE account_id = $1 AND channel = $2 AND code_hash = $3`,
			accountID, channel, hash)
		return apperr.Wrap(ErrSendCode.Kind, ErrSendCode.Key, err)
	}
	n.log.InfoContext(ctx, "contact code sent", "account_id", accountID, "channel", channel)
	return nil
}

// Verify checks a code the citizen typed. The right code confirms the address or number it was
// sent to, if that is still the account's current one. Each wrong code counts; the fifth spends
// the code.
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
		var dest string
		var stored []byte
		var expired bool
		var attempts int
		err := tx.QueryRow(ctx, `
			SELECT destination, code_hash, expires_at <= now(), attempts FROM contact_code
			WHERE account_id = $1 AND channel = $2 FOR UPDATE`, accountID, channel).Scan(&dest, &stored, &expired, &attempts)
		if errors.Is(err, pgx.ErrNoRows) {
			outcome = ErrNoCode
			return nil
		}
		if err != nil {
			return err
		}
		spend := func(result error) error {
			outcome = result
			_, err := tx.Exec(ctx, `DELETE FROM contact_code WHERE account_id = $1 AND channel = $2`, accountID, channel)
			return err
		}
		switch {
		case expired:
			return spend(ErrCodeExpired)
		case attempts >= CodeMaxAttempts:
			return spend(ErrCodeSpent)
		case subtle.ConstantTimeCompare(given, stored) != 1:
			if attempts+1 >= CodeMaxAttempts {
				return spend(ErrCodeSpent)
			}
			outcome = ErrWrongCode
			_, err := tx.Exec(ctx, `UPDATE contact_code SET attempts = attempts + 1 WHERE account_id = $1 AND channel = $2`, accountID, channel)
			return err
		}
		if err := spend(nil); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE account SET `+cols[1]+` = now() WHERE id = $1 AND `+cols[0]+` = $2`, accountID, dest)
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
