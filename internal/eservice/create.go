package eservice

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/i18n"
)

// slugPattern is the syntax of an e-service's address (as the database checks it).
var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,80}$`)

// Slugify makes an address part from a title: "Ansökan om bygglov" becomes "ansokan-om-bygglov".
func Slugify(title string) string {
	s := strings.ReplaceAll(form.Slug(title), "_", "-")
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	return s
}

// CreateByAdmin creates a new e-service in state draft, with the default statuses and no version
// yet: its form is built in the editor. Only the title is needed; the address is made from it
// when none is given, and a new e-service asks citizens to log in.
func (s *Store) CreateByAdmin(ctx context.Context, actor audit.Actor, title, slug, category string) (EService, error) {
	title, slug = strings.TrimSpace(title), strings.TrimSpace(slug)
	var errs apperr.FieldErrors
	if title == "" {
		errs.Add("title", "error.builder.title")
	}
	if slug == "" {
		slug = Slugify(title)
	}
	if title != "" && !slugPattern.MatchString(slug) {
		errs.Add("slug", "error.builder.slug")
	}
	if !slices.Contains(Categories, category) {
		errs.Add("category", "error.builder.category")
	}
	if err := errs.Err(); err != nil {
		return EService{}, err
	}
	var e EService
	err := db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		if err := slugFree(ctx, tx, actor.TenantID, slug); err != nil {
			return err
		}
		var err error
		e, err = Create(ctx, tx, EService{TenantID: actor.TenantID, Slug: slug, Title: form.Text{"sv": title}, Description: form.Text{},
			Category: category, Audience: []string{"private"}, LoginRule: LoginRequired})
		if err != nil {
			return err
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: actor, Action: "eservice_created", Target: slug, EServiceID: &e.ID})
	})
	return e, err
}

func slugFree(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, slug string) error {
	var taken bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM eservice WHERE tenant_id = $1 AND slug = $2)`, tenantID, slug).Scan(&taken); err != nil {
		return err
	}
	if taken {
		return apperr.FieldErrors{{Field: "slug", Key: "error.builder.slugTaken"}}
	}
	return nil
}

// Copy creates a new draft e-service with the settings, statuses, message templates and notice
// texts of another one of the municipality, and its working form as the draft version: the
// e-service's export, imported again under the title "Kopia av …" (the catalogue's
// "builder.copy.title", in each language the title has). Citizens see nothing of it until it is
// published.
func (s *Store) Copy(ctx context.Context, actor audit.Actor, eserviceID uuid.UUID) (EService, error) {
	d, err := s.Export(ctx, actor.TenantID, eserviceID)
	if err != nil {
		return EService{}, err
	}
	from := d.Settings.Slug
	title := form.Text{}
	for _, l := range i18n.Langs {
		if t := d.Settings.Title[string(l)]; t != "" || l == i18n.Default {
			title[string(l)] = i18n.For(string(l)).T("builder.copy.title", t)
		}
	}
	d.Settings.Title = title
	return s.create(ctx, actor, d, "eservice_copied", map[string]any{"from": from})
}

// freeCopySlug finds the first free address "<slug>-kopia", "<slug>-kopia-2"...
func freeCopySlug(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, slug string) (string, error) {
	base := slug
	if len(base) > 70 {
		base = base[:70]
	}
	for n := 1; n < 100; n++ {
		candidate := base + "-kopia"
		if n > 1 {
			candidate = fmt.Sprintf("%s-kopia-%d", base, n)
		}
		err := slugFree(ctx, tx, tenantID, candidate)
		var fe apperr.FieldErrors
		if errors.As(err, &fe) {
			continue
		}
		return candidate, err
	}
	return "", ErrSlugTaken
}
