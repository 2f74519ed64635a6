package web

import (
	"net/http"

	"github.com/minasidor/minasidor/internal/i18n"
	"github.com/minasidor/minasidor/templates"
)

// devMailbox shows, in development only, every e-mail and SMS the portal would have sent, so a
// person can follow the notices with no mail server.
func (s *Server) devMailbox(w http.ResponseWriter, r *http.Request) error {
	list, err := s.notices.Mailbox(r.Context(), 100)
	if err != nil {
		return err
	}
	items := make([]templates.MailItem, 0, len(list))
	for _, m := range list {
		items = append(items, templates.MailItem{Channel: m.Channel, To: m.Recipient, Subject: m.Subject, Body: m.Body, When: i18n.DateTime(m.CreatedAt)})
	}
	return s.render(w, r, http.StatusOK, templates.MailboxPage(s.page(r, "mailbox.heading", ""), items))
}
