package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/internal/notify"
	"github.com/minasidor/minasidor/internal/security"
)

// profileCodeSend sends a one-time code to the stored e-mail address or phone number.
func (s *Server) profileCodeSend(w http.ResponseWriter, r *http.Request) error {
	return s.confirmStep(w, r, func(channel string) (string, error) {
		return "skickad", s.notices.SendCode(r.Context(), s.citizenID(r.Context()), channel)
	})
}

// profileCodeVerify confirms the address or number with the code the citizen typed.
func (s *Server) profileCodeVerify(w http.ResponseWriter, r *http.Request) error {
	return s.confirmStep(w, r, func(channel string) (string, error) {
		return "bekraftad", s.notices.Verify(r.Context(), s.citizenID(r.Context()), channel, r.PostForm.Get("code"))
	})
}

// confirmStep runs one step of the confirmation and returns to Mina uppgifter: with what
// happened, or with why it did not and the code field again, holding what the citizen typed.
func (s *Server) confirmStep(w http.ResponseWriter, r *http.Request, step func(channel string) (string, error)) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	channel := r.PostForm.Get("channel")
	if channel != notify.ChannelEmail && channel != notify.ChannelSMS {
		return apperr.New(apperr.Invalid, "error.verify.channel")
	}
	done, err := step(channel)
	// A limit says from when the citizen may try again, as a time of day.
	var limited *notify.LimitError
	if errors.As(err, &limited) {
		switch limited.Err {
		case notify.ErrTooManyCodes:
			s.securityEvent(r, security.CodeLockout, "too_many_codes")
		case notify.ErrTooManyWrong:
			s.securityEvent(r, security.CodeLockout, "too_many_wrong_codes")
		}
		w.Header().Set("Retry-After", limited.RetryAt.UTC().Format(http.TimeFormat))
		return s.renderProfile(w, r, http.StatusTooManyRequests, func(v *profileState) {
			v.channel, v.code = channel, r.PostForm.Get("code")
			v.err = i18n.T(r.Context(), limited.Err.Key, i18n.Clock(limited.RetryAt))
		})
	}
	var refused *apperr.Error
	if errors.As(err, &refused) && refused.Kind != apperr.Internal {
		status := http.StatusUnprocessableEntity
		if refused.Kind == apperr.Unavailable { // the mail server or SMS gateway: try again later
			status = http.StatusServiceUnavailable
			s.log.WarnContext(r.Context(), "code not sent", "err", err, "channel", channel, "request_id", requestID(r.Context()))
		}
		return s.renderProfile(w, r, status, func(v *profileState) {
			v.channel, v.code = channel, r.PostForm.Get("code")
			v.err = i18n.T(r.Context(), refused.Key)
		})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/mina-sidor/uppgifter?"+url.Values{done: {channel}}.Encode()+"#confirm-"+channel, http.StatusSeeOther)
	return nil
}
