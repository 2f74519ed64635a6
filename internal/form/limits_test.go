package form

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLimitOf(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	n := func(x int) *int { return &x }
	for _, tt := range []struct {
		name  string
		field Field
		lang  string
		want  Limit
		ok    bool
	}{
		{"number between", Field{Type: Number, Rules: Rules{Min: f(0), Max: f(150)}}, "sv", Limit{KeyLimitNumberBetween, []any{"0", "150"}}, true},
		{"whole numbers", Field{Type: Number, Rules: Rules{Min: f(1), Max: f(10), Integer: true}}, "sv", Limit{KeyLimitIntegerBetween, []any{"1", "10"}}, true},
		{"decimal comma", Field{Type: Number, Rules: Rules{Min: f(-2.5)}}, "sv", Limit{KeyLimitNumberMin, []any{"\u22122,5"}}, true},
		{"decimal point", Field{Type: Number, Rules: Rules{Max: f(0.75)}}, "en", Limit{KeyLimitNumberMax, []any{"0.75"}}, true},
		{"large", Field{Type: Number, Rules: Rules{Max: f(1e6)}}, "sv", Limit{KeyLimitNumberMax, []any{"1000000"}}, true},
		{"number without limits", Field{Type: Number}, "sv", Limit{}, false},
		{"choices between", Field{Type: MultipleChoice, Rules: Rules{MinChoices: n(2), MaxChoices: n(3)}}, "sv", Limit{KeyLimitChoicesBetween, []any{2, 3}}, true},
		{"choices exactly", Field{Type: MultipleChoice, Rules: Rules{MinChoices: n(2), MaxChoices: n(2)}}, "sv", Limit{KeyLimitChoicesExactly, []any{2}}, true},
		{"choices at most", Field{Type: MultipleChoice, Rules: Rules{MinChoices: n(1), MaxChoices: n(3)}}, "sv", Limit{KeyLimitChoicesMax, []any{3}}, true},
		{"choices at least", Field{Type: MultipleChoice, Rules: Rules{MinChoices: n(2)}}, "sv", Limit{KeyLimitChoicesMin, []any{2}}, true},
		{"at least one says nothing", Field{Type: MultipleChoice, Rules: Rules{MinChoices: n(1)}}, "sv", Limit{}, false},
		{"text", Field{Type: ShortText, Rules: Rules{MaxLength: n(10)}}, "sv", Limit{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := LimitOf(&tt.field, tt.lang)
			if ok != tt.ok {
				t.Fatalf("ok %v, want %v", ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("limit (-want +got):\n%s", diff)
			}
		})
	}
}
