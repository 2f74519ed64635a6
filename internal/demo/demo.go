// Package demo loads the demo municipalities and their data for development. It is never run in
// production (the configuration refuses DEMO_DATA there). Loading twice changes nothing.
package demo

import (
	"context"
	"fmt"
	"github.com/google/uuid"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/rights"
	"github.com/minasidor/minasidor/internal/staff"
	"github.com/minasidor/minasidor/internal/tenant"
)

// Municipalities are the demo municipalities. Each is also served at <slug>.localhost, which
// browsers resolve to this machine.
var Municipalities = []tenant.Tenant{
	{Slug: "alingsas", Name: "Alingsås kommun", Code: "ALI"},
	{Slug: "motala", Name: "Motala kommun", Code: "MOT"},
}

// Load adds the demo data that is not there yet.
func Load(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	return db.Transact(ctx, pool, func(tx pgx.Tx) error {
		for _, m := range Municipalities {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM tenant WHERE slug = $1)`, m.Slug).Scan(&exists); err != nil {
				return err
			}
			if exists {
				continue
			}
			if _, err := tenant.Create(ctx, tx, m, []string{m.Slug + ".localhost"}); err != nil {
				return fmt.Errorf("demo: %s: %w", m.Slug, err)
			}
			log.Info("demo municipality added", "slug", m.Slug)
		}
		if err := loadEServices(ctx, tx, log); err != nil {
			return err
		}
		// The built-in e-service of data protection requests, so that its handlers are assigned.
		for _, m := range Municipalities {
			var id uuid.UUID
			if err := tx.QueryRow(ctx, `SELECT id FROM tenant WHERE slug = $1`, m.Slug).Scan(&id); err != nil {
				return err
			}
			if _, err := rights.EnsureEService(ctx, tx, id); err != nil {
				return fmt.Errorf("demo: %s: %w", m.Slug, err)
			}
		}
		if err := loadStaff(ctx, tx, log); err != nil {
			return err
		}
		if err := loadSettings(ctx, tx); err != nil {
			return err
		}
		if err := loadBookings(ctx, tx, log); err != nil {
			return err
		}
		// Each municipality's caseworkers (their IdP group) handle its e-services.
		_, err := tx.Exec(ctx, `
			INSERT INTO eservice_handler (tenant_id, eservice_id, group_name)
			SELECT e.tenant_id, e.id, left(t.slug, 3) || '-handlaggare'
			FROM eservice e JOIN tenant t ON t.id = e.tenant_id
			WHERE t.slug = ANY ($1)
			ON CONFLICT DO NOTHING`, []string{"alingsas", "motala"})
		if err != nil {
			return err
		}
		// Two message templates for each e-service that has none.
		_, err = tx.Exec(ctx, `
			INSERT INTO eservice_message_template (tenant_id, eservice_id, title, body, position)
			SELECT e.tenant_id, e.id, m.title, m.body, m.pos FROM eservice e, (VALUES
				('Vi har börjat handlägga', 'Hej! Vi har tagit emot ditt ärende och börjat handlägga det. Vi hör av oss om vi behöver något mer från dig.', 1),
				('Behöver mer information', 'Hej! För att kunna handlägga ditt ärende behöver vi veta mer om följande: ', 2)) AS m (title, body, pos)
			WHERE NOT EXISTS (SELECT 1 FROM eservice_message_template x WHERE x.eservice_id = e.id)`)
		return err
	})
}

// loadStaff registers the development IdP's test staff in their municipalities.
func loadStaff(ctx context.Context, tx pgx.Tx, log *slog.Logger) error {
	for _, m := range staff.TestStaff {
		var tenantID uuid.UUID
		var exists bool
		err := tx.QueryRow(ctx, `
			SELECT t.id, EXISTS (SELECT 1 FROM staff s WHERE s.tenant_id = t.id AND s.employee_id = $2)
			FROM tenant t WHERE t.slug = $1`, m.Municipality, m.EmployeeID).Scan(&tenantID, &exists)
		if err != nil {
			return fmt.Errorf("demo: staff %s: %w", m.Key, err)
		}
		if exists {
			continue
		}
		_, err = staff.Add(ctx, tx, staff.Member{TenantID: tenantID, EmployeeID: m.EmployeeID, Name: m.Name,
			Email: m.Email, Unit: m.Unit, Restricted: m.Restricted, Roles: m.Roles, Groups: m.Groups})
		if err != nil {
			return err
		}
		log.Info("demo staff added", "municipality", m.Municipality, "employee", m.EmployeeID)
	}
	return nil
}

// demoSettings are the demo municipalities' service centres, data protection officers and
// accessibility statements.
var demoSettings = map[string]struct {
	contact, dpo                     map[string]string
	accessibilitySV, accessibilityEN string
}{
	"alingsas": {
		contact: map[string]string{"phone": "0322-61 60 00", "email": "kontaktcenter@alingsas.example",
			"address": "Alingsås kommun\nKontaktcenter\n441 81 Alingsås", "hours": "Måndag–torsdag 8–17\nFredag 8–16"},
		dpo: map[string]string{"name": "Dataskyddsombudet", "email": "dataskyddsombud@alingsas.example", "phone": "0322-61 60 00"},
		accessibilitySV: "Alingsås kommun står bakom Mina sidor. Vi vill att alla ska kunna använda våra e-tjänster, oavsett behov.\n\n" +
			"Webbplatsen är byggd för att uppfylla WCAG 2.2 nivå AA. Alla sidor fungerar utan JavaScript, med bara tangentbord och med skärmläsare. " +
			"Varje sida testas automatiskt när webbplatsen ändras.\n\n" +
			"Det vi vet inte fungerar fullt ut står under Kända brister nedan. Vissa bifogade filer som handläggare skickar kan vara svåra att läsa med skärmläsare; " +
			"be då om filen i ett annat format.\n\nRedogörelsen granskades senast i januari 2026.",
		accessibilityEN: "Alingsås municipality runs Mina sidor. We want everyone to be able to use our e-services, whatever their needs.\n\n" +
			"The site is built to meet WCAG 2.2 level AA. Every page works without JavaScript, with the keyboard alone and with screen readers. " +
			"Every page is tested automatically whenever the site changes.\n\n" +
			"What we know does not fully work yet is listed under Known shortcomings below. Some files that caseworkers attach may be hard to read with a screen reader; " +
			"then ask for the file in another format.\n\nThe statement was last reviewed in January 2026.",
	},
	"motala": {
		contact: map[string]string{"phone": "0141-22 50 00", "email": "kontaktcenter@motala.example",
			"address": "Motala kommun\n591 86 Motala", "hours": "Måndag–fredag 8–16.30"},
		dpo: map[string]string{"name": "Dataskyddsombud, Motala kommun", "email": "dataskyddsombud@motala.example"},
		accessibilitySV: "Motala kommun står bakom Mina sidor och vill att så många som möjligt ska kunna använda e-tjänsterna.\n\n" +
			"Webbplatsen är byggd för att uppfylla WCAG 2.2 nivå AA och testas automatiskt vid varje ändring.",
	},
}

// loadSettings gives the demo municipalities their settings, unless they have some or an admin
// has changed them.
func loadSettings(ctx context.Context, tx pgx.Tx) error {
	for slug, d := range demoSettings {
		statement := map[string]string{"sv": d.accessibilitySV}
		if d.accessibilityEN != "" {
			statement["en"] = d.accessibilityEN
		}
		_, err := tx.Exec(ctx, `UPDATE tenant SET contact = $2, dpo = $3, accessibility = $4
			WHERE slug = $1 AND contact = '{}' AND dpo = '{}' AND accessibility = '{}'
			AND NOT EXISTS (SELECT 1 FROM admin_event a WHERE a.tenant_id = tenant.id AND a.action = 'municipality_settings_changed')`,
			slug, d.contact, d.dpo, statement)
		if err != nil {
			return fmt.Errorf("demo: settings of %s: %w", slug, err)
		}
	}
	return nil
}
