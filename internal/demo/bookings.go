package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/minasidor/minasidor/internal/form"
)

// demoResource is a bookable resource of a demo municipality.
type demoResource struct {
	municipality, slug   string
	name, place, desc    form.Text
	slotMinutes          int
	capacity, aheadDays  int
	bookBefore, cancelBy int // minutes before the start
	hours                []demoHours
	closedDays           []string // YYYY-MM-DD
	handlers             []string // employee ids of the staff who handle it
}

type demoHours struct {
	weekdays      []int // 1 Monday … 7 Sunday
	opens, closes string
}

// demoResources: a time with an advisor, a place for an afternoon, an hour in a hall.
var demoResources = []demoResource{
	{
		municipality: "alingsas", slug: "radgivning-bygglov",
		name:  form.Text{"sv": "Rådgivning bygglov", "en": "Building permit advice"},
		place: form.Text{"sv": "Stadshuset, Stora torget 1, Alingsås", "en": "The town hall, Stora torget 1, Alingsås"},
		desc: form.Text{"sv": "Ett samtal på 30 minuter med en bygglovshandläggare innan du söker bygglov.",
			"en": "A 30-minute talk with a building permit officer before you apply for a permit."},
		slotMinutes: 30, capacity: 1, aheadDays: 60, bookBefore: 120, cancelBy: 1440,
		hours: []demoHours{
			{weekdays: []int{1, 2, 3, 4}, opens: "09:00", closes: "12:00"},
			{weekdays: []int{1, 2, 3, 4}, opens: "13:00", closes: "16:00"},
		},
		closedDays: []string{"2026-12-24", "2026-12-31", "2027-01-06"},
		handlers:   []string{"ali-1001"},
	},
	{
		municipality: "alingsas", slug: "grillplats-mjornstranden",
		name:  form.Text{"sv": "Grillplats Mjörnstranden", "en": "Barbecue site Mjörnstranden"},
		place: form.Text{"sv": "Mjörnstranden, Alingsås", "en": "Mjörnstranden, Alingsås"},
		desc: form.Text{"sv": "Grillplatsen med vindskydd för en hel eftermiddag och kväll, kl. 13–21.",
			"en": "The barbecue site with its shelter for a whole afternoon and evening, 1 pm to 9 pm."},
		slotMinutes: 480, capacity: 1, aheadDays: 90, bookBefore: 60, cancelBy: 1440,
		hours:    []demoHours{{weekdays: []int{1, 2, 3, 4, 5, 6, 7}, opens: "13:00", closes: "21:00"}},
		handlers: []string{"ali-1001"},
	},
	{
		municipality: "motala", slug: "idrottshall-ekangen",
		name:  form.Text{"sv": "Idrottshall Ekängen", "en": "Ekängen sports hall"},
		place: form.Text{"sv": "Ekängens idrottshall, Motala", "en": "Ekängen sports hall, Motala"},
		desc: form.Text{"sv": "Hela hallen för en grupp, en timme i taget.",
			"en": "The whole hall for one group, an hour at a time."},
		slotMinutes: 60, capacity: 1, aheadDays: 60, bookBefore: 60, cancelBy: 2880,
		hours: []demoHours{
			{weekdays: []int{1, 2, 3, 4, 5}, opens: "17:00", closes: "22:00"},
			{weekdays: []int{6, 7}, opens: "09:00", closes: "18:00"},
		},
		closedDays: []string{"2026-12-24", "2026-12-25"},
		handlers:   []string{"mot-2001"},
	},
}

// loadBookings adds the demo resources that are missing, with their hours, closed days and
// handlers.
func loadBookings(ctx context.Context, tx pgx.Tx, log *slog.Logger) error {
	for _, d := range demoResources {
		var id any
		err := tx.QueryRow(ctx, `
			INSERT INTO booking_resource (tenant_id, slug, name, place, description, slot_minutes, capacity, ahead_days,
				book_before_minutes, cancel_before_minutes)
			SELECT t.id, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM tenant t WHERE t.slug = $1
			ON CONFLICT (tenant_id, slug) DO NOTHING
			RETURNING id`, d.municipality, d.slug, d.name, d.place, d.desc, d.slotMinutes, d.capacity, d.aheadDays,
			d.bookBefore, d.cancelBy).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // there already
		}
		if err != nil {
			return fmt.Errorf("demo: resource %s: %w", d.slug, err)
		}
		for _, h := range d.hours {
			for _, wd := range h.weekdays {
				if _, err := tx.Exec(ctx, `INSERT INTO booking_hours (resource_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)`,
					id, wd, h.opens, h.closes); err != nil {
					return fmt.Errorf("demo: hours of %s: %w", d.slug, err)
				}
			}
		}
		for _, day := range d.closedDays {
			if _, err := tx.Exec(ctx, `INSERT INTO booking_exception (resource_id, day) VALUES ($1, $2)`, id, day); err != nil {
				return fmt.Errorf("demo: closed day of %s: %w", d.slug, err)
			}
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO booking_handler (resource_id, staff_id)
			SELECT $1, s.id FROM staff s JOIN tenant t ON t.id = s.tenant_id WHERE t.slug = $2 AND s.employee_id = ANY ($3)`,
			id, d.municipality, d.handlers); err != nil {
			return fmt.Errorf("demo: handlers of %s: %w", d.slug, err)
		}
		log.Info("demo resource added", "municipality", d.municipality, "resource", d.slug)
	}
	return nil
}
