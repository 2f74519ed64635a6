package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minasidor/minasidor/internal/form"
	"github.com/minasidor/minasidor/internal/personnummer"
	"github.com/minasidor/minasidor/internal/population"
)

// ScaleOptions says how much demo data Scale adds.
type ScaleOptions struct {
	Citizens int       // accounts to add
	Cases    int       // cases to add, spread over the demo municipalities' form e-services
	Seed     uint64    // of the random choices; the same seed makes the same names and answers
	Progress io.Writer // progress lines; nil for none
}

// ScaleResult is what Scale added.
type ScaleResult struct {
	Citizens, Cases, Events, Messages, Flags int
	Took                                     time.Duration
}

// The batch size of each COPY.
const scaleBatch = 20000

// Scale adds citizens and their cases to the demo municipalities, to measure the caseworkers'
// queue and search at the size of a large municipality. Load must have run. Every run adds
// more: new accounts (personal numbers that look valid, with serials below 800 so that they never
// clash with the development IdP's test persons), and cases whose references continue each
// municipality's yearly series. Cases are spread over the last three years; the older ones are
// mostly closed, and the open ones mostly assigned to the municipality's caseworkers. Each case
// has the history the portal would have written (see scaleHistory): its events, and for some a
// conversation with the caseworker whose latest messages the citizen may not have read yet.
// Development only.
func Scale(ctx context.Context, pool *pgxpool.Pool, opts ScaleOptions) (ScaleResult, error) {
	start := time.Now()
	progress := func(format string, args ...any) {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, "%6.1fs  "+format+"\n", append([]any{time.Since(start).Seconds()}, args...)...)
		}
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5eed))
	services, err := scaleEServices(ctx, pool)
	if err != nil {
		return ScaleResult{}, err
	}
	if len(services) == 0 {
		return ScaleResult{}, errors.New("demo: scale: no published form e-services in the demo municipalities (run Load first)")
	}

	// Citizens.
	taken := map[string]bool{}
	rows, err := pool.Query(ctx, `SELECT personal_number FROM account`)
	if err != nil {
		return ScaleResult{}, err
	}
	existing, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return ScaleResult{}, err
	}
	for _, p := range existing {
		taken[p] = true
	}
	citizens := make([]scaleCitizen, 0, opts.Citizens)
	for range opts.Citizens {
		c := newScaleCitizen(rng, taken)
		citizens = append(citizens, c)
	}
	for i := 0; i < len(citizens); i += scaleBatch {
		batch := citizens[i:min(i+scaleBatch, len(citizens))]
		_, err := pool.CopyFrom(ctx, pgx.Identifier{"account"},
			[]string{"id", "personal_number", "given_name", "surname", "display_name", "protected_identity", "street", "postal_code", "city", "created_at"},
			pgx.CopyFromSlice(len(batch), func(j int) ([]any, error) {
				c := batch[j]
				if c.protected {
					return []any{c.id, c.pnr, c.given, c.surname, c.given + " " + c.surname, true, nil, nil, nil, c.created}, nil
				}
				return []any{c.id, c.pnr, c.given, c.surname, c.given + " " + c.surname, false, c.street, c.postal, c.city, c.created}, nil
			}))
		if err != nil {
			return ScaleResult{}, fmt.Errorf("demo: scale: accounts: %w", err)
		}
		progress("accounts %d/%d", i+len(batch), len(citizens))
	}

	// The development IdP's test persons get 25–100 of the cases each, so that a benchmark logged
	// in as one of them sees a full Mina ärenden: spread over the years, and a few more among the
	// newest cases (the last 2 %), most of which are still open, so that the ongoing tab is not
	// empty by chance.
	recentFrom := opts.Cases - opts.Cases/50
	testPersons, err := scaleTestPersons(ctx, pool, rng, opts.Cases, opts.Cases-recentFrom)
	if err != nil {
		return ScaleResult{}, err
	}
	testQuota := 0
	for _, tp := range testPersons {
		testQuota += tp.quota
	}

	// Cases: made in order of submission by one goroutine, copied by two connections.
	counters := map[counterKey]int{}
	rows, err = pool.Query(ctx, `SELECT tenant_id, year, last FROM reference_counter`)
	if err != nil {
		return ScaleResult{}, err
	}
	for rows.Next() {
		var k counterKey
		var last int
		if err := rows.Scan(&k.tenant, &k.year, &last); err != nil {
			return ScaleResult{}, err
		}
		counters[k] = last
	}
	if err := rows.Err(); err != nil {
		return ScaleResult{}, err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan scaleRows, 2)
	var flags [][]any
	var errOnce sync.Once
	var firstErr error
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	var wg sync.WaitGroup
	var copied int
	var mu sync.Mutex
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				// The case's rows first: its events and messages refer to them.
				if err := b.copy(ctx, pool); err != nil {
					fail(err)
					continue
				}
				mu.Lock()
				copied += len(b.cases)
				n := copied
				mu.Unlock()
				progress("cases %d/%d", n, opts.Cases)
			}
		}()
	}
	now := time.Now().Add(-time.Hour)
	first := now.AddDate(-3, 0, 0)
	step := now.Sub(first) / time.Duration(max(opts.Cases, 1))
	var batch scaleRows
	var events, messages int
	for i := range opts.Cases {
		if ctx.Err() != nil {
			break
		}
		remaining := recentFrom - i // cases left in which to give the test persons' quotas
		if i >= recentFrom {
			remaining = opts.Cases - i
		}
		if i == recentFrom {
			for j := range testPersons {
				testPersons[j].quota += testPersons[j].recent
				testQuota += testPersons[j].recent
			}
		}
		at := first.Add(time.Duration(i)*step + time.Duration(rng.Int64N(int64(step)+1))).Truncate(time.Microsecond)
		svc := services[rng.IntN(len(services))]
		var citizen *scaleCitizen
		anonymous := false
		switch {
		case svc.loginRule == "none" && rng.IntN(3) == 0:
			anonymous = svc.anonymousAllowed
		case testQuota > 0 && rng.IntN(remaining) < testQuota:
			tp := &testPersons[rng.IntN(len(testPersons))]
			for tp.quota == 0 {
				tp = &testPersons[rng.IntN(len(testPersons))]
			}
			tp.quota--
			testQuota--
			citizen = &tp.scaleCitizen
		case len(citizens) > 0:
			citizen = &citizens[rng.IntN(len(citizens))]
		}
		key := counterKey{svc.tenant, at.Year()}
		counters[key]++
		ref := fmt.Sprintf("%s-%d-%06d", svc.code, at.Year(), counters[key])
		answers, err := json.Marshal(scaleAnswers(rng, svc.def, citizen))
		if err != nil {
			fail(err)
			break
		}
		h := scaleHandling(rng, svc, at, now)
		id := uuid.New()
		var account any
		if citizen != nil {
			account = citizen.id
		}
		hist := scaleHistory(rng, svc, id, at, h, citizen != nil, now)
		var assigned any
		if h.worker >= 0 {
			assigned = svc.caseworkers[h.worker]
		}
		batch.cases = append(batch.cases, []any{id, svc.tenant, svc.id, svc.version, ref, account, anonymous, answers, h.status, svc.statusKeys[h.status],
			hist.statusChanged, uuid.New(), at, hist.updated, hist.closed, assigned, h.decision})
		batch.events = append(batch.events, hist.events...)
		batch.messages = append(batch.messages, hist.messages...)
		events += len(hist.events)
		messages += len(hist.messages)
		if assigned != nil && h.closed == nil && rng.IntN(200) == 0 {
			flags = append(flags, []any{id, assigned, at})
		}
		if len(batch.cases) == scaleBatch {
			select {
			case batches <- batch:
			case <-ctx.Done():
			}
			batch = scaleRows{}
		}
	}
	if len(batch.cases) > 0 && ctx.Err() == nil {
		batches <- batch
	}
	close(batches)
	wg.Wait()
	if firstErr != nil {
		return ScaleResult{}, firstErr
	}
	if ctx.Err() != nil {
		return ScaleResult{}, ctx.Err()
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"case_flag"}, []string{"case_id", "staff_id", "at"}, pgx.CopyFromRows(flags)); err != nil {
		return ScaleResult{}, fmt.Errorf("demo: scale: flags: %w", err)
	}
	for k, last := range counters {
		if _, err := pool.Exec(ctx, `
			INSERT INTO reference_counter (tenant_id, year, last) VALUES ($1, $2, $3)
			ON CONFLICT (tenant_id, year) DO UPDATE SET last = greatest(reference_counter.last, excluded.last)`, k.tenant, k.year, last); err != nil {
			return ScaleResult{}, err
		}
	}
	progress("analyze")
	if _, err := pool.Exec(ctx, `ANALYZE account, cases, case_event, message, case_flag`); err != nil {
		return ScaleResult{}, err
	}
	progress("done")
	return ScaleResult{Citizens: len(citizens), Cases: opts.Cases, Events: events, Messages: messages, Flags: len(flags), Took: time.Since(start)}, nil
}

// scaleTestPerson is a test person of the development IdP with the number of cases still to give:
// over the years, and among the newest cases.
type scaleTestPerson struct {
	scaleCitizen
	quota, recent int
}

// scaleTestPersons returns the development IdP's test persons that are in the population
// register, each with an account (made as their first login would make it, when they have none)
// and 25–100 cases to be given, fewer if there are few cases in all, and 3–6 more of the newest
// cases (recent of them in all), fewer if those are few.
func scaleTestPersons(ctx context.Context, pool *pgxpool.Pool, rng *rand.Rand, cases, recent int) ([]scaleTestPerson, error) {
	var out []scaleTestPerson
	for _, tp := range population.TestPersons {
		if !tp.Selectable || !tp.InRegister {
			continue
		}
		p := tp.Person
		c := scaleCitizen{pnr: p.PersonalNumber.String(), given: p.GivenName, surname: p.Surname, protected: p.Protected}
		if p.Address != nil && !p.Protected {
			c.street, c.postal, c.city = p.Address.Street, p.Address.PostalCode, p.Address.City
		}
		err := pool.QueryRow(ctx, `
			INSERT INTO account (personal_number, given_name, surname, display_name, protected_identity, street, postal_code, city)
			VALUES ($1, $2, $3, $2 || ' ' || $3, $4, nullif($5, ''), nullif($6, ''), nullif($7, ''))
			ON CONFLICT (personal_number) DO UPDATE SET updated_at = account.updated_at
			RETURNING id`, c.pnr, c.given, c.surname, c.protected, c.street, c.postal, c.city).Scan(&c.id)
		if err != nil {
			return nil, fmt.Errorf("demo: scale: test person %s: %w", tp.Key, err)
		}
		out = append(out, scaleTestPerson{scaleCitizen: c, quota: 25 + rng.IntN(76), recent: 3 + rng.IntN(4)})
	}
	for i := range out { // at most half of the newest cases
		out[i].recent = min(out[i].recent, recent/2/max(len(out), 1))
	}
	total := 0
	for _, tp := range out {
		total += tp.quota
	}
	if total > cases/2 { // a small run: most cases stay with the generated citizens
		for i := range out {
			out[i].quota = out[i].quota * (cases / 2) / total
		}
	}
	return out, nil
}

var scaleCaseColumns = []string{"id", "tenant_id", "eservice_id", "version_id", "reference", "account_id", "anonymous", "answers", "status", "status_key", "status_changed_at",
	"source_draft_id", "submitted_at", "updated_at", "closed_at", "assigned_to", "decision"}

type counterKey struct {
	tenant uuid.UUID
	year   int
}

type scaleEService struct {
	id, tenant, version uuid.UUID
	code                string
	loginRule           string
	anonymousAllowed    bool
	def                 form.Definition
	caseworkers         []uuid.UUID
	caseworkerNames     []string // in the order of caseworkers
	versionNumber       int
	statusKeys          map[string]string // the first status of each type
}

// scaleEServices returns the demo municipalities' published form e-services with their
// caseworkers: the active staff with the caseworker role that handle it.
func scaleEServices(ctx context.Context, pool *pgxpool.Pool) ([]scaleEService, error) {
	slugs := make([]string, len(Municipalities))
	for i, m := range Municipalities {
		slugs[i] = m.Slug
	}
	rows, err := pool.Query(ctx, `
		WITH handler AS (
			SELECT e.id AS eservice_id, s.id, s.name, s.employee_id FROM eservice e JOIN tenant t ON t.id = e.tenant_id
			JOIN staff s ON s.tenant_id = e.tenant_id AND s.active
			JOIN staff_role r ON r.staff_id = s.id AND r.role = 'caseworker'
			WHERE EXISTS (SELECT 1 FROM eservice_handler h
				WHERE h.eservice_id = e.id AND (h.staff_id = s.id OR h.group_name = left(t.slug, 3) || '-handlaggare')))
		SELECT e.id, e.tenant_id, v.id, t.code, e.login_rule, e.anonymous_allowed, v.definition, v.number,
			ARRAY(SELECT h.id FROM handler h WHERE h.eservice_id = e.id ORDER BY h.employee_id),
			ARRAY(SELECT h.name FROM handler h WHERE h.eservice_id = e.id ORDER BY h.employee_id),
			(SELECT jsonb_object_agg(type, key) FROM (SELECT DISTINCT ON (type) type, key FROM eservice_status
				WHERE eservice_id = e.id ORDER BY type, position) st)
		FROM eservice e JOIN tenant t ON t.id = e.tenant_id JOIN eservice_version v ON v.id = e.current_version_id
		WHERE t.slug = ANY ($1) AND e.state = 'published'
		ORDER BY t.slug, e.slug`, slugs)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (scaleEService, error) {
		var s scaleEService
		var def []byte
		err := r.Scan(&s.id, &s.tenant, &s.version, &s.code, &s.loginRule, &s.anonymousAllowed, &def, &s.versionNumber,
			&s.caseworkers, &s.caseworkerNames, &s.statusKeys)
		if err == nil {
			err = json.Unmarshal(def, &s.def)
		}
		return s, err
	})
}

// scaleAnswers answers the form loosely: every field gets an answer of its type, whatever the
// conditions say.
func scaleAnswers(rng *rand.Rand, def form.Definition, c *scaleCitizen) form.Answers {
	a := form.Answers{}
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	address := func() (string, string, string) {
		if c != nil && !c.protected {
			return c.street, c.postal, c.city
		}
		return scaleStreet(rng), fmt.Sprintf("%03d %02d", 400+rng.IntN(500), rng.IntN(100)), pick(scaleCities)
	}
	for _, s := range def.Steps {
		for _, f := range s.Fields {
			switch f.Type {
			case form.Info, form.File:
			case form.ShortText:
				if f.Rules.Pattern != "" {
					a[f.Key] = []string{strings.ToUpper(pick(scaleDesignations)) + fmt.Sprintf(" %d:%d", 1+rng.IntN(30), 1+rng.IntN(200))}
				} else if strings.Contains(f.Key, "name") {
					a[f.Key] = []string{pick(scaleGiven) + " " + pick(scaleSurnames)}
				} else {
					a[f.Key] = []string{scaleStreet(rng)}
				}
			case form.LongText:
				a[f.Key] = []string{pick(scaleSentences) + " " + pick(scaleSentences) + " Vid " + scaleStreet(rng) + "."}
			case form.Number:
				a[f.Key] = []string{fmt.Sprint(1 + rng.IntN(200))}
			case form.Date:
				a[f.Key] = []string{time.Now().AddDate(0, 0, rng.IntN(120)).Format(time.DateOnly)}
			case form.Email:
				a[f.Key] = []string{fmt.Sprintf("person%d@example.se", rng.IntN(100000))}
			case form.Phone:
				a[f.Key] = []string{fmt.Sprintf("070-%03d %02d %02d", rng.IntN(1000), rng.IntN(100), rng.IntN(100))}
			case form.PersonalNumber:
				if c != nil {
					a[f.Key] = []string{c.pnr}
				} else {
					a[f.Key] = []string{scalePersonalNumber(rng, 2008, 2018)}
				}
			case form.OrgNumber:
				a[f.Key] = []string{"5560000000"}
			case form.Address:
				street, postal, city := address()
				a[f.Key+".street"], a[f.Key+".postal_code"], a[f.Key+".city"] = []string{street}, []string{postal}, []string{city}
			case form.Contact:
				name := pick(scaleGiven) + " " + pick(scaleSurnames)
				if c != nil {
					name = c.given + " " + c.surname
				}
				a[f.Key+".name"] = []string{name}
				a[f.Key+".email"] = []string{fmt.Sprintf("person%d@example.se", rng.IntN(100000))}
			case form.SingleChoice, form.Dropdown:
				if len(f.Options) > 0 {
					a[f.Key] = []string{f.Options[rng.IntN(len(f.Options))].Value}
				}
			case form.MultipleChoice:
				if len(f.Options) > 0 {
					a[f.Key] = []string{f.Options[rng.IntN(len(f.Options))].Value}
				}
			case form.YesNo:
				a[f.Key] = []string{pick([]string{"yes", "no"})}
			case form.Consent:
				a[f.Key] = []string{"yes"}
			}
		}
	}
	return a
}

type scaleCitizen struct {
	id                                        uuid.UUID
	pnr, given, surname, street, postal, city string
	protected                                 bool
	created                                   time.Time
}

func newScaleCitizen(rng *rand.Rand, taken map[string]bool) scaleCitizen {
	c := scaleCitizen{id: uuid.New()}
	for {
		c.pnr = scalePersonalNumber(rng, 1935, 2006)
		if !taken[c.pnr] {
			taken[c.pnr] = true
			break
		}
	}
	c.given = scaleGiven[rng.IntN(len(scaleGiven))]
	c.surname = scaleSurnames[rng.IntN(len(scaleSurnames))]
	c.protected = rng.IntN(400) == 0
	c.street = scaleStreet(rng)
	c.postal = fmt.Sprintf("%03d %02d", 400+rng.IntN(500), rng.IntN(100))
	c.city = scaleCities[rng.IntN(len(scaleCities))]
	c.created = time.Now().AddDate(-3, 0, 0).Add(time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour))))
	return c
}

// scalePersonalNumber makes a valid-looking number (real date, Luhn check digit) born in
// [from, to], with a serial below 800.
func scalePersonalNumber(rng *rand.Rand, from, to int) string {
	d := time.Date(from+rng.IntN(to-from+1), 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(365))
	nine := fmt.Sprintf("%s%03d", d.Format("060102"), rng.IntN(800))
	return d.Format("2006") + nine[2:] + fmt.Sprint(personnummer.Luhn(nine))
}

func scaleStreet(rng *rand.Rand) string {
	return fmt.Sprintf("%s %d", scaleStreets[rng.IntN(len(scaleStreets))], 1+rng.IntN(80))
}

var (
	scaleGiven = []string{"Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Ingrid", "Marie", "Malin", "Jenny",
		"Hanna", "Linda", "Elin", "Ida", "Johanna", "Sofia", "Birgitta", "Elsa", "Lars", "Mikael", "Anders", "Johan", "Erik",
		"Per", "Karl", "Peter", "Thomas", "Jan", "Daniel", "Fredrik", "Hans", "Andreas", "Stefan", "Mats", "Magnus", "Jonas",
		"Oskar", "Nils", "Ahmed", "Fatima", "Ali", "Leila", "Mohammed", "Zeynep", "Nikola", "Aleksandra", "Juha", "Aino"}
	scaleSurnames = []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
		"Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg",
		"Jakobsson", "Magnusson", "Lindström", "Olofsson", "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström",
		"Lundberg", "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson",
		"Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson", "Lundin", "Håkansson", "Björk", "Bergman",
		"Gunnarsson", "Holm", "Wikström", "Samuelsson", "Isaksson", "Fransson", "Öberg", "Yilmaz", "Hassan", "Korhonen"}
	scaleStreets = []string{"Kungsgatan", "Drottninggatan", "Storgatan", "Östra Ringgatan", "Västra Ringgatan", "Kyrkogatan",
		"Järnvägsgatan", "Bryggaregatan", "Lilla Torget", "Stora Torget", "Noltorpsvägen", "Sollebrunnsvägen", "Göteborgsvägen",
		"Boråsvägen", "Hedvägen", "Skolgatan", "Parkgatan", "Björkvägen", "Ekvägen", "Lönnvägen", "Tallvägen", "Granvägen",
		"Ängsvägen", "Backvägen", "Sjögatan", "Hamngatan", "Strandvägen", "Kanalgatan", "Vätterstorget", "Folkungavägen",
		"Prästgatan", "Bergsvägen", "Kvarngatan", "Torggatan", "Industrigatan", "Fabriksgatan", "Nygatan", "Klostergatan",
		"Mjölnarevägen", "Hagavägen"}
	scaleCities       = []string{"Alingsås", "Motala", "Sollebrunn", "Ingared", "Borensberg", "Fornåsa", "Gräfsnäs", "Tjällmo"}
	scaleDesignations = []string{"Alingsås", "Motala", "Brogården", "Nolhaga", "Stadsskogen", "Charlottenborg", "Östermalm", "Bråten"}
	scaleSentences    = []string{
		"Gatlampan utanför porten har varit släckt i två veckor.", "Lampan blinkar hela natten.",
		"Det läcker vatten från en brunn i gatan.", "Vattnet har lågt tryck på morgnarna.",
		"Vi vill bygga en altan med tak mot trädgården.", "Garaget ska byggas om till ett gästrum.",
		"Kompostbehållaren är isolerad och skadedjurssäker.", "Vi komposterar matavfall året runt.",
		"Barnet har lång väg till skolan längs en väg utan trottoar.", "Skolvägen korsar en hårt trafikerad väg.",
		"Jag vill ha kopior av protokollen från nämndens senaste sammanträde.", "Stolpen lutar efter en påkörning.",
		"Det luktar avlopp i källaren.", "Eleven har en funktionsnedsättning och behöver skjuts.",
		"Huset får ett nytt badrum och en ny entré.", "Luckan på stolpen står öppen.",
	}
	scaleDecisions = []string{"Felet är åtgärdat.", "Ansökan beviljas.", "Ansökan avslås.", "Handlingarna har skickats.", "Anmälan är godkänd."}
)
