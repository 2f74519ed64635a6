package disclosure

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/apperr"
	"github.com/minasidor/minasidor/internal/audit"
	"github.com/minasidor/minasidor/internal/db"
	"github.com/minasidor/minasidor/internal/staff"
)

// Ground is a ground of secrecy a registrar may give: a reference to a chapter and section of
// the Public Access to Information and Secrecy Act (2009:400) and what it protects.
type Ground struct {
	Code  string `json:"code"`  // "OSL 26:1"
	Label string `json:"label"` // "Socialtjänst"
}

// Text is the ground as the decision names it: "OSL 26:1 (Socialtjänst)".
func (g Ground) Text() string {
	if g.Label == "" {
		return g.Code
	}
	return g.Code + " (" + g.Label + ")"
}

// ProtectedIdentityCode is the ground that protects a person's identity and address; the parts of
// a case that identify or locate an applicant with a protected identity are masked on it by
// default.
const ProtectedIdentityCode = "OSL 21:3"

// DefaultGrounds are the grounds of a municipality that has not set its own.
var DefaultGrounds = []Ground{
	{Code: ProtectedIdentityCode, Label: "Skyddad identitet och adress"},
	{Code: "OSL 21:1", Label: "Hälsa och sexualliv"},
	{Code: "OSL 23:2", Label: "Elevers personliga förhållanden i skolan"},
	{Code: "OSL 25:1", Label: "Hälso- och sjukvård"},
	{Code: "OSL 26:1", Label: "Socialtjänst"},
	{Code: "OSL 39:3", Label: "Personaladministration, anställdas adress och familj"},
	{Code: "OSL 18:8", Label: "Säkerhets- och bevakningsåtgärder"},
}

// Settings are a municipality's settings of the review.
type Settings struct {
	SecondRegistrar bool     // every answer needs a second registrar's approval
	Grounds         []Ground // the grounds registrars choose from
}

// Ground returns the ground with the code.
func (s Settings) Ground(code string) (Ground, bool) {
	i := slices.IndexFunc(s.Grounds, func(g Ground) bool { return g.Code == code })
	if i < 0 {
		return Ground{}, false
	}
	return s.Grounds[i], true
}

// protectedGround is the ground protected identities are masked on by default: OSL 21:3 if the
// municipality has it, else its first ground.
func (s Settings) protectedGround() string {
	if _, ok := s.Ground(ProtectedIdentityCode); ok || len(s.Grounds) == 0 {
		return ProtectedIdentityCode
	}
	return s.Grounds[0].Code
}

// queueSettings queues the reading of a municipality's settings into out.
func queueSettings(b *pgx.Batch, tenantID uuid.UUID, out *Settings) {
	*out = Settings{Grounds: DefaultGrounds}
	db.QueueOptional(b, nil, func(row pgx.Row) error {
		var grounds []Ground
		if err := row.Scan(&out.SecondRegistrar, &grounds); err != nil {
			return fmt.Errorf("disclosure: settings: %w", err)
		}
		if len(grounds) > 0 {
			out.Grounds = grounds
		}
		return nil
	}, `SELECT second_registrar, grounds FROM disclosure_setting WHERE tenant_id = $1`, tenantID)
}

// SettingsOf returns a municipality's settings of the review.
func (s *Store) SettingsOf(ctx context.Context, tenantID uuid.UUID) (Settings, error) {
	var out Settings
	return out, db.Read(ctx, s.db, func(b *pgx.Batch) { queueSettings(b, tenantID, &out) })
}

var groundCode = regexp.MustCompile(`^OSL \d{1,2}:\d{1,2}[a-z]?$`)

// ParseGrounds reads grounds one a line, "OSL 26:1 Socialtjänst" (the code, then what it
// protects). A line that does not start with a code is refused.
func ParseGrounds(text string) ([]Ground, error) {
	var out []Ground
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			continue
		}
		fields := strings.SplitN(line, " ", 3)
		if len(fields) < 2 {
			return nil, errGrounds
		}
		g := Ground{Code: fields[0] + " " + fields[1]}
		if len(fields) == 3 {
			g.Label = strings.TrimLeft(fields[2], "-–: ")
		}
		if !groundCode.MatchString(g.Code) || utf8.RuneCountInString(g.Label) > 120 {
			return nil, errGrounds
		}
		if slices.ContainsFunc(out, func(o Ground) bool { return o.Code == g.Code }) {
			return nil, errGrounds
		}
		out = append(out, g)
	}
	if len(out) == 0 || len(out) > 50 {
		return nil, errGrounds
	}
	return out, nil
}

var errGrounds = apperr.FieldErrors{{Field: "grounds", Key: "error.public.grounds"}}

// FormatGrounds writes grounds as ParseGrounds reads them.
func FormatGrounds(gs []Ground) string {
	var b strings.Builder
	for _, g := range gs {
		b.WriteString(strings.TrimSpace(g.Code + " " + g.Label))
		b.WriteString("\n")
	}
	return b.String()
}

// SaveSettings sets the municipality's settings of the review; only its admin may, and the
// change is recorded in the municipality's change log.
func (s *Store) SaveSettings(ctx context.Context, admin staff.Member, in Settings) error {
	if !admin.Has(staff.MunicipalityAdmin) {
		return staff.ErrNotAdmin
	}
	if len(in.Grounds) == 0 {
		return errGrounds
	}
	return db.Transact(ctx, s.db, func(tx pgx.Tx) error {
		var before Settings
		if err := db.Read(ctx, tx, func(b *pgx.Batch) { queueSettings(b, admin.TenantID, &before) }); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO disclosure_setting (tenant_id, second_registrar, grounds) VALUES ($1, $2, $3)
			ON CONFLICT (tenant_id) DO UPDATE SET second_registrar = $2, grounds = $3, updated_at = now()`,
			admin.TenantID, in.SecondRegistrar, in.Grounds)
		if err != nil {
			return fmt.Errorf("disclosure: settings: %w", err)
		}
		var codes []string
		for _, g := range in.Grounds {
			codes = append(codes, g.Code)
		}
		return audit.RecordChange(ctx, tx, audit.Change{Actor: admin.Actor(), Action: "disclosure_settings_changed",
			Detail: map[string]any{"second_registrar": in.SecondRegistrar, "grounds": codes,
				"second_registrar_before": before.SecondRegistrar}})
	})
}
