package web

import (
	"errors"
	"net/http"

	"github.com/minasidor/minasidor/internal/account"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// profileShow is Mina uppgifter: everything stored about the citizen.
func (s *Server) profileShow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderProfile(w, r, http.StatusOK, func(v *profileState) {
		v.saved = q.Get("sparat") == "1"
		v.sent, v.confirmed = q.Get("skickad"), q.Get("bekraftad")
	})
}

// profileState is what the last action on Mina uppgifter did, for the page to say.
type profileState struct {
	saved     bool
	sent      string // the channel a code was just sent to
	confirmed string // the channel just confirmed
	channel   string // the channel the error is about
	err       string
	code      string // the code the citizen typed, shown again with the error
}

// renderProfile shows Mina uppgifter with the account as stored and what just happened.
func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, status int, set func(*profileState)) error {
	ctx := r.Context()
	acct, err := s.accounts.ByID(ctx, s.citizenID(ctx))
	if err != nil {
		return err
	}
	var st profileState
	set(&st)
	v := profileView(acct)
	if v.Rights, err = s.profileRights(ctx, acct.ID); err != nil {
		return err
	}
	if r.URL.Query().Get("raderat") == "1" {
		v.Rights.Done = "erased"
	}
	v.Saved = st.saved
	for _, c := range []struct {
		channel, value string
		confirmed      bool
	}{
		{account.ChannelEmail, acct.Email, acct.EmailVerifiedAt != nil},
		{account.ChannelSMS, acct.Phone, acct.PhoneVerifiedAt != nil},
	} {
		if c.value == "" || (c.channel == account.ChannelSMS && !s.notices.SMSEnabled()) {
			continue
		}
		cv := templates.ConfirmView{Channel: c.channel, Label: i18n.T(ctx, "confirm."+c.channel, c.value), Confirmed: c.confirmed,
			CodeSent: st.sent == c.channel}
		switch c.channel {
		case st.sent:
			cv.Notice = i18n.T(ctx, "confirm.sent")
		case st.confirmed:
			cv.Notice = i18n.T(ctx, "confirm.confirmed")
		case st.channel:
			cv.Error, cv.Code = st.err, st.code
		}
		if acct.PreferredChannel == c.channel && !c.confirmed {
			v.ChannelUnconfirmed = true
		}
		v.Confirm = append(v.Confirm, cv)
	}
	return s.render(w, r, status, templates.ProfilePage(s.page(r, "profile.heading", "mypages"), v))
}

// profileUpdate saves the contact data. Invalid input re-renders the form with what the user typed
// and a summary of the errors.
func (s *Server) profileUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "", err)
	}
	in := account.ContactInput{
		Email:            r.PostForm.Get("email"),
		Phone:            r.PostForm.Get("phone"),
		PreferredChannel: r.PostForm.Get("preferred_channel"),
	}
	id := s.citizenID(ctx)
	_, err := s.accounts.UpdateContact(ctx, id, in)
	var invalid apperr.FieldErrors
	if errors.As(err, &invalid) {
		acct, err := s.accounts.ByID(ctx, id)
		if err != nil {
			return err
		}
		v := profileView(acct)
		if v.Rights, err = s.profileRights(ctx, id); err != nil {
			return err
		}
		v.Email, v.Phone, v.Channel = in.Email, in.Phone, in.PreferredChannel
		for _, fe := range invalid {
			v.Errors = append(v.Errors, templates.FieldMessage{Field: fe.Field, Message: i18n.T(ctx, fe.Key)})
		}
		p := s.page(r, "profile.heading", "mypages")
		p.Title = i18n.T(ctx, "form.errors.title", p.Title)
		return s.render(w, r, http.StatusUnprocessableEntity, templates.ProfilePage(p, v))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/mina-sidor/uppgifter?sparat=1", http.StatusSeeOther)
	return nil
}

func profileView(a account.Account) templates.ProfileView {
	v := templates.ProfileView{
		Name:           a.DisplayName,
		PersonalNumber: a.PersonalNumber.Formatted(),
		Coordination:   a.PersonalNumber.IsCoordination(),
		Protected:      a.Protected,
		CreatedAt:      i18n.DateTime(a.CreatedAt),
		Email:          a.Email,
		Phone:          a.Phone,
		Channel:        a.PreferredChannel,
	}
	if a.PreviousLoginAt != nil {
		v.PreviousLogin = i18n.DateTime(*a.PreviousLoginAt)
	}
	if a.Address != nil && !a.Protected {
		if a.Address.CareOf != "" {
			v.AddressLines = append(v.AddressLines, "c/o "+a.Address.CareOf)
		}
		v.AddressLines = append(v.AddressLines, a.Address.Street, a.Address.PostalCode+" "+a.Address.City)
		if a.AddressFetchedAt != nil {
			v.AddressFetched = i18n.DateTime(*a.AddressFetchedAt)
		}
	}
	return v
}
