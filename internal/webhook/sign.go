package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Headers of a delivery.
const (
	HeaderTimestamp = "Minasidor-Timestamp" // when the request was signed, in Unix seconds
	HeaderSignature = "Minasidor-Signature" // "v1=" and the hex HMAC-SHA256 of timestamp + "." + body
	HeaderEvent     = "Minasidor-Event"     // the event's type
	HeaderDelivery  = "Minasidor-Delivery"  // the delivery's id: the same on every attempt and resend
)

// ReplayWindow is how far a delivery's timestamp may be from the receiver's clock: a receiver
// refuses a request signed longer ago (or further ahead) than this, so that a captured request
// cannot be replayed later. Every attempt and every resend is signed anew, with its own time.
// Within the window a receiver that must not act twice keeps the event ids it has seen.
const ReplayWindow = 5 * time.Minute

// Sign returns the signature header of body sent at t: "v1=" and the hex HMAC-SHA256, keyed with
// the webhook's secret, of the Unix time in seconds, a dot and the body as sent.
func Sign(secret string, t time.Time, body []byte) string {
	return "v1=" + hex.EncodeToString(mac(secret, strconv.FormatInt(t.Unix(), 10), body))
}

func mac(secret, timestamp string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(timestamp))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Errors of Verify.
var (
	ErrSignature = errors.New("webhook: the signature does not match")
	ErrStale     = errors.New("webhook: the timestamp is outside the replay window")
)

// Verify checks a received delivery as a receiver does (the README shows the same in a few lines
// of its own): the signature header must hold a v1 signature of the timestamp header and the
// body under the secret, and the timestamp must be within ReplayWindow of now.
func Verify(secret, timestamp, signature string, body []byte, now time.Time) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > ReplayWindow || d < -ReplayWindow {
		return ErrStale
	}
	for _, part := range strings.Split(signature, ",") {
		v, ok := strings.CutPrefix(strings.TrimSpace(part), "v1=")
		if !ok {
			continue
		}
		got, err := hex.DecodeString(v)
		if err == nil && hmac.Equal(got, mac(secret, timestamp, body)) {
			return nil
		}
	}
	return ErrSignature
}
