package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// scaleHandled is how far a case has come: its status's type, when it closed, the caseworker it
// is assigned to (an index of the e-service's caseworkers, -1 for none) and its decision.
type scaleHandled struct {
	status   string
	closed   *time.Time
	worker   int
	decision any
}

// scaleHandling decides how far the case has come: most cases older than two months are closed.
func scaleHandling(rng *rand.Rand, svc scaleEService, at, now time.Time) scaleHandled {
	worker := -1
	if len(svc.caseworkers) > 0 {
		// The first caseworker (by employee id) takes most of the cases.
		worker = 0
		if len(svc.caseworkers) > 1 && rng.IntN(10) < 3 {
			worker = 1 + rng.IntN(len(svc.caseworkers)-1)
		}
	}
	old := now.Sub(at) > 60*24*time.Hour
	if (old && rng.IntN(100) < 95) || (!old && rng.IntN(100) < 30) {
		t := at.Add(time.Duration(1+rng.IntN(40*24)) * time.Hour)
		if t.After(now) {
			t = now
		}
		return scaleHandled{status: "closed", closed: &t, worker: worker, decision: scaleDecisions[rng.IntN(len(scaleDecisions))]}
	}
	switch n := rng.IntN(100); {
	case n < 35:
		return scaleHandled{status: "submitted", worker: -1}
	case n < 45:
		return scaleHandled{status: "submitted", worker: worker}
	case n < 85:
		return scaleHandled{status: "in_progress", worker: worker}
	default:
		return scaleHandled{status: "waiting_supplement", worker: worker}
	}
}

// scaleHistoryRows are a case's events and messages as scaleHistory makes them, with the times
// its row takes from them: when it took its status, when it last changed, and for a closed case
// when it closed (its last event).
type scaleHistoryRows struct {
	events, messages       [][]any
	statusChanged, updated time.Time
	closed                 *time.Time
}

// scaleHistory writes the history of a case submitted at at and handled as h, as the portal would
// have: the submission; the assignment; the status changes on the way to its status (a closed
// case was in progress first); and, for about a third of the cases of a citizen with a
// caseworker, a conversation of one to four messages while the case was handled. Each message is
// read within two days, and before the answer to it; the last one in an open case is unread half
// of the time.
func scaleHistory(rng *rand.Rand, svc scaleEService, caseID uuid.UUID, at time.Time, h scaleHandled, citizen bool, now time.Time) scaleHistoryRows {
	end := now
	if h.closed != nil {
		end = *h.closed
	}
	// What happens on the way comes a minute before the end at the latest, so that the last
	// status change is the last event.
	stop := end.Add(-time.Minute)
	t := at
	// later moves t on by up to max (at least a microsecond, so that no two events are at the same
	// time), and no further than the stop when it can.
	later := func(max time.Duration) time.Time {
		next := t.Add(time.Microsecond + time.Duration(rng.Int64N(int64(max)))).Truncate(time.Microsecond)
		if next.After(stop) {
			next = max2(t.Add(time.Microsecond), stop)
		}
		t = next
		return t
	}
	out := scaleHistoryRows{statusChanged: at}
	event := func(kind string, at time.Time, actor string, data map[string]any) {
		out.events = append(out.events, []any{svc.tenant, caseID, kind, at, actor, data})
	}
	status := func(typ string, at time.Time, actor string) {
		event("status", at, actor, map[string]any{"status": typ, "key": svc.statusKeys[typ]})
		out.statusChanged = at
	}
	event("submitted", at, "", map[string]any{"version": svc.versionNumber})
	if h.worker < 0 {
		out.updated = at
		return out
	}
	name := svc.caseworkerNames[h.worker]
	event("assigned", later(48*time.Hour), name, map[string]any{"to": name})
	if h.status != "submitted" {
		status("in_progress", later(5*24*time.Hour), name)
	}
	if citizen && rng.IntN(3) == 0 {
		caseworker := rng.IntN(2) == 0 // who writes first; then they take turns
		msgs := make([]scaleMessage, 1+rng.IntN(4))
		for i := range msgs {
			m := &msgs[i]
			m.sent = later(3 * 24 * time.Hour)
			m.read = m.sent.Add(time.Duration(1+rng.IntN(48)) * time.Hour)
			if i > 0 { // the answer comes after the message was read
				msgs[i-1].read = min2(msgs[i-1].read, m.sent)
			}
			m.sender, m.body = "citizen", scaleCitizenMessages[rng.IntN(len(scaleCitizenMessages))]
			data := map[string]any{}
			if caseworker {
				m.sender, m.author, m.body = "caseworker", name, scaleCaseworkerMessages[rng.IntN(len(scaleCaseworkerMessages))]
				data["author"] = name
			}
			event("message", m.sent, m.sender, data)
			caseworker = !caseworker
		}
		last := &msgs[len(msgs)-1]
		last.unread = last.read.After(now) || h.closed == nil && rng.IntN(2) == 0
		for _, m := range msgs {
			var read any = m.read
			if m.unread {
				read = nil
			}
			out.messages = append(out.messages, []any{svc.tenant, caseID, m.sender, m.author, m.body, m.sent, read})
		}
	}
	switch h.status {
	case "waiting_supplement":
		due := t.Add(time.Duration(1 + rng.Int64N(int64(2*24*time.Hour)))).Truncate(time.Microsecond)
		t = max2(t.Add(time.Microsecond), min2(due, end))
		status("waiting_supplement", t, name)
	case "closed":
		t = max2(t.Add(time.Microsecond), end)
		closed := t
		out.closed = &closed
		status("closed", t, name)
	}
	out.updated = t
	return out
}

func min2(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func max2(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// scaleMessage is a message of a case's conversation, read at read unless it is unread.
type scaleMessage struct {
	sender, author, body string
	sent, read           time.Time
	unread               bool
}

// scaleRows are a batch of cases with their events and messages.
type scaleRows struct {
	cases, events, messages [][]any
}

// copy copies the batch, the cases first: their events and messages refer to them.
func (b scaleRows) copy(ctx context.Context, pool *pgxpool.Pool) error {
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"cases"}, scaleCaseColumns, pgx.CopyFromRows(b.cases)); err != nil {
		return fmt.Errorf("demo: scale: cases: %w", err)
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"case_event"}, []string{"tenant_id", "case_id", "kind", "at", "actor", "data"},
		pgx.CopyFromRows(b.events)); err != nil {
		return fmt.Errorf("demo: scale: events: %w", err)
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"message"}, []string{"tenant_id", "case_id", "sender", "author_name", "body", "created_at", "read_at"},
		pgx.CopyFromRows(b.messages)); err != nil {
		return fmt.Errorf("demo: scale: messages: %w", err)
	}
	return nil
}

var (
	scaleCitizenMessages = []string{
		"Hej! Finns det något mer ni behöver från mig?", "Jag har ett foto som visar felet, hur skickar jag det?",
		"Tack för beskedet.", "När kan jag räkna med ett beslut?", "Jag är bortrest nästa vecka, ring gärna efter det.",
		"Felet är kvar, lampan är fortfarande släckt.",
	}
	scaleCaseworkerMessages = []string{
		"Hej! Vi har tagit emot ditt ärende och återkommer inom två veckor.", "Kan du skicka en ritning över tomten?",
		"Tack, nu har vi det vi behöver.", "Vi har beställt reparationen av vår entreprenör.",
		"Beslutet skickas till dig under veckan.", "Vi behöver veta vilken dag som passar för ett besök.",
	}
)
