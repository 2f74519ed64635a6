// Package reference numbers a municipality's cases and requests for public documents by year,
// in one series: ALI-2026-000042.
package reference

import "fmt"

// Next is a common table expression, named name, that takes the municipality's next number of
// the year ($tenant and $year are its parameters) and returns it as its column last. The counter's
// row stays locked until the transaction ends, so the numbers have no gaps: every other numbering
// in the municipality waits for this one's commit.
func Next(name string, tenant, year int) string {
	return fmt.Sprintf(`%s AS (
		INSERT INTO reference_counter (tenant_id, year, last) VALUES ($%d, $%d, 1)
		ON CONFLICT (tenant_id, year) DO UPDATE SET last = reference_counter.last + 1
		RETURNING last)`, name, tenant, year)
}

// Spelled is the SQL expression of a reference number: prefix, an expression of the text
// "ALI-2026-", then the number n with at least six digits.
func Spelled(prefix, n string) string {
	return fmt.Sprintf(`%s || lpad((%s)::text, greatest(6, length((%s)::text)), '0')`, prefix, n, n)
}
